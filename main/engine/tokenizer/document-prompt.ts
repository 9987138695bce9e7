/**
 * Splits a templated prompt into the document prefix and the question suffix (architecture.md,
 * step 2), so the prefix's KV cache is computed once per document and reused for every question.
 *
 * The template is rendered around one user message, document + separator + question. Rendering
 * it with a sentinel question and cutting at the sentinel gives the prefix. Prefix and suffix
 * are tokenized separately, on purpose: the prefix's token ids then never depend on the
 * question (a joint encode could merge tokens across the boundary and invalidate the cache).
 * The separator ends the prefix, and the suffix is encoded as a continuation, so the boundary
 * is one where tokenizers split anyway.
 */
import { KvLensError } from '../../../app/errors';
import type { ChatMessage } from './chat-template';
import type { ModelTokenizer } from './model-tokenizer';
import type { Span } from './token-offsets';

export interface DocumentPromptOptions {
  /** Text between the document and the question (default a blank line). */
  separator?: string;
  /** Optional system message rendered before the user turn. */
  system?: string;
}

export interface DocumentPrompt {
  /** Rendered text before the question; identical for every question. */
  prefix: string;
  /** Where the document text sits in `prefix` ([start, end)). */
  documentRange: Span;
  /** Prefix token ids with their spans in `prefix` (tokenized on its own). */
  encodePrefix(): { ids: number[]; spans: Span[] };
  /** Rendered text after the prefix: the question, end of turn and the generation prompt. */
  suffixText(question: string): string;
  /** Suffix token ids, tokenized on their own as a continuation of the prefix. */
  encodeSuffix(question: string): number[];
}

/** Renders the chat template around a document and splits it at the question. */
export function buildDocumentPrompt(
  tokenizer: ModelTokenizer,
  document: string,
  options: DocumentPromptOptions = {},
): DocumentPrompt {
  const separator = options.separator ?? '\n\n';
  const render = (question: string) => {
    const messages: ChatMessage[] = [];
    if (options.system !== undefined) messages.push({ role: 'system', content: options.system });
    messages.push({ role: 'user', content: document + separator + question });
    return tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true });
  };
  let sentinel = 'KVLENSQUESTION';
  while (document.includes(sentinel) || options.system?.includes(sentinel)) sentinel += 'X';
  const rendered = render(sentinel);
  const at = rendered.indexOf(sentinel);
  if (at < 0 || rendered.indexOf(sentinel, at + 1) >= 0) {
    throw new KvLensError(
      'unsupported',
      "The model's chat template does not place the user message verbatim, so the document " +
        'cannot be cached apart from the question.',
    );
  }
  const prefix = rendered.slice(0, at);
  // Templates may trim the message (Llama 3 does), so look for the trimmed document.
  const docEnd = at - separator.length;
  const doc = document.trimStart();
  if (!prefix.endsWith(separator) || prefix.slice(docEnd - doc.length, docEnd) !== doc) {
    throw new KvLensError(
      'unsupported',
      "The model's chat template changes the document text; it cannot be mapped back.",
    );
  }
  const suffixText = (question: string) => {
    const full = render(question);
    if (!full.startsWith(prefix)) {
      throw new KvLensError(
        'unsupported',
        "The model's chat template renders the document differently for this question.",
      );
    }
    return full.slice(prefix.length);
  };
  return {
    prefix,
    documentRange: [docEnd - doc.length, docEnd],
    encodePrefix: () => tokenizer.encodeWithOffsets(prefix),
    suffixText,
    encodeSuffix: (question) => tokenizer.encodeContinuation(suffixText(question)),
  };
}
