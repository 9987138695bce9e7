/**
 * Decoding one answer from a stored question: gather the selection out of the full prompt
 * cache (left intact for the next budget), decode, report the figures.
 */
import type { GeneratedToken } from '../generation/generate';
import type { KvCache } from '../kv/kv-cache';
import type { ScoreInput } from '../kv/score-input';
import type { ModelSession } from '../runtime/model-session';
import type { ModelTokenizer } from '../tokenizer/model-tokenizer';
import type { RetentionSummary } from './compress-cache';
import { decodeFrom, type DecodeOptions } from './decode-from';
import type { SelectionView } from './selection-view';

/** The last question of a document session: its scores and full (uncompressed) cache. */
export interface StoredQuestion {
  question: string;
  questionTokens: number;
  scores: ScoreInput;
  /** Logits after the last prompt token (the first answer token's distribution). */
  logits: Float32Array;
  /** The full prompt cache, never decoded into: each answer decodes from a gather of it. */
  full: KvCache;
  prefillMs: number;
  prefilledTokens: number;
}

export interface AnswerStats {
  documentTokens: number;
  questionTokens: number;
  promptTokens: number;
  /** Tokens prefilled for this answer (0 when regenerated from the stored cache). */
  prefilledTokens: number;
  prefillMs: number;
  /** Selection + gather. */
  compressMs: number;
  newTokens: number;
  decodeMs: number;
  decodeTokensPerSecond: number;
  stopReason: 'eos' | 'max-new-tokens';
  retention: RetentionSummary;
}

export interface Answer {
  tokens: number[];
  text: string;
  selection: SelectionView;
  stats: AnswerStats;
}

interface AnswerModel {
  session: ModelSession;
  tokenizer: ModelTokenizer;
}

/** Streams the answer of `q` under `view`'s selection; `prefilled` says whether q was just run. */
export async function* decodeAnswer(
  model: AnswerModel,
  q: StoredQuestion,
  view: SelectionView,
  o: Omit<DecodeOptions, 'eosIds' | 'text'>,
  prefilled: boolean,
): AsyncGenerator<GeneratedToken, Answer, undefined> {
  const t0 = performance.now();
  const cache = q.full.gather(view.selection.layers);
  const compressMs = view.ms + (performance.now() - t0);
  try {
    const r = yield* decodeFrom(model.session, cache, q.logits, {
      ...o,
      eosIds: model.tokenizer.eosTokenIds,
      text: model.tokenizer.createStreamDecoder(),
    });
    return {
      tokens: r.tokens,
      text: r.text,
      selection: view,
      stats: {
        documentTokens: q.scores.T - q.questionTokens,
        questionTokens: q.questionTokens,
        promptTokens: q.scores.T,
        prefilledTokens: prefilled ? q.prefilledTokens : 0,
        prefillMs: prefilled ? q.prefillMs : 0,
        compressMs,
        newTokens: r.newTokens,
        decodeMs: r.decodeMs,
        decodeTokensPerSecond: r.decodeTokensPerSecond,
        stopReason: r.stopReason,
        retention: view.summary,
      },
    };
  } finally {
    cache.dispose();
  }
}
