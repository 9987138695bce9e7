/**
 * The check the engine runs before any prefill: does the prompt fit the model's context?
 */
import { KvLensError } from '../errors';

export interface ContextBudget {
  /** Tokens of the document prefix (including its chat-template tokens). */
  documentTokens: number;
  /** Tokens of the question suffix; 0 when only the document is being prefilled. */
  promptTokens?: number;
  /** Tokens reserved for the answer. */
  maxNewTokens?: number;
  /** The model's context window (max_position_embeddings). */
  contextLength: number;
  /** Shown in the message, e.g. the file name. */
  documentName?: string;
}

/**
 * Throws KvLensError('context-overflow') when document + prompt + answer exceed the context.
 *
 * The message gives every number so the user can see by how much, and what to do about it.
 * Returns the number of tokens left after the whole request fits.
 */
export function checkContextWindow(budget: ContextBudget): number {
  const { documentTokens, contextLength } = budget;
  const prompt = budget.promptTokens ?? 0;
  const answer = budget.maxNewTokens ?? 0;
  for (const [name, v] of [
    ['documentTokens', documentTokens],
    ['promptTokens', prompt],
    ['maxNewTokens', answer],
    ['contextLength', contextLength],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new KvLensError(
        'invalid-argument',
        `${name} must be a non-negative integer, got ${v}.`,
      );
    }
  }
  const needed = documentTokens + prompt + answer;
  if (needed <= contextLength) return contextLength - needed;
  const what = budget.documentName ? `"${budget.documentName}"` : 'The document';
  const parts = [`${documentTokens} document tokens`];
  if (prompt > 0) parts.push(`${prompt} question tokens`);
  if (answer > 0) parts.push(`${answer} answer tokens`);
  const maxDoc = Math.max(0, contextLength - prompt - answer);
  throw new KvLensError(
    'context-overflow',
    `${what} does not fit the model's context window: ${parts.join(' + ')} = ${needed} tokens, ` +
      `but the model reads at most ${contextLength}. Use a shorter document (at most ${maxDoc} ` +
      `document tokens here), fewer pages, or a model with a longer context.`,
    { documentTokens, promptTokens: prompt, maxNewTokens: answer, contextLength, needed },
  );
}
