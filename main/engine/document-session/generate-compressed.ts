/**
 * One prompt, one compression, one answer: scored prefill -> policy -> gather -> decode. The
 * `generate --method/--budget` path; a document session does the same in separate steps so it
 * can keep the prefix and re-select.
 */
import { generationStats, type GeneratedToken, type GenerationStats } from '../generation/generate';
import type { PrefillProgress } from '../generation/prefill';
import type { ModelSession } from '../runtime/model-session';
import {
  bytesPerTokenPerLayer,
  compressCache,
  summarise,
  type CompressionRequest,
  type RetentionSummary,
} from './compress-cache';
import { decodeFrom, type DecodeOptions } from './decode-from';
import { scoredPrefill } from './scored-prefill';

export interface GenerateCompressedOptions extends DecodeOptions {
  request: CompressionRequest;
  chunkSize?: number;
  onProgress?: (p: PrefillProgress) => void;
}

export interface CompressedGenerationStats extends GenerationStats {
  retention: RetentionSummary;
  /** Policy + retention map time, and gather time (both inside compressMs). */
  selectMs: number;
  gatherMs: number;
}

export interface CompressedGeneration {
  tokens: number[];
  text: string;
  stats: CompressedGenerationStats;
}

/** Streams the answer to `promptIds` decoded from a cache compressed per `o.request`. */
export async function* generateCompressed(
  session: ModelSession,
  promptIds: readonly number[],
  o: GenerateCompressedOptions,
): AsyncGenerator<GeneratedToken, CompressedGeneration, undefined> {
  const start = performance.now();
  const full = session.emptyCache();
  let cache = full;
  try {
    const pre = await scoredPrefill(session, full, promptIds, {
      window: o.request.policy?.window ?? 8,
      ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    const kvBytesFull = full.bytes();
    const c = compressCache(full, pre.scores, o.request);
    cache = c.cache;
    full.dispose();
    const compressMs = c.selectMs + c.gatherMs;
    const d = yield* decodeFrom(session, cache, pre.logits, o);
    const prefilled = { tokens: promptIds.length, ms: pre.ms };
    const stats: CompressedGenerationStats = {
      ...generationStats(session, promptIds.length, prefilled, compressMs, d, {
        start,
        kvBytesFull,
        kvBytes: cache.bytes(),
      }),
      retention: summarise(o.request, c),
      selectMs: c.selectMs,
      gatherMs: c.gatherMs,
    };
    return { tokens: d.tokens, text: d.text, stats };
  } finally {
    if (!full.disposed) full.dispose();
    if (cache !== full) cache.dispose();
  }
}

/** The retention figures of an uncompressed prompt cache (the `full` method). */
export function fullRetention(
  T: number,
  dims: { numLayers: number; numKvHeads: number; headDim: number },
): RetentionSummary {
  const L = dims.numLayers;
  const bytes = T * L * bytesPerTokenPerLayer(dims);
  return {
    method: 'full',
    budget: T,
    budgets: new Array<number>(L).fill(T),
    keptPerLayer: new Array<number>(L).fill(T),
    tokensKept: T * L,
    distinctTokensKept: T,
    promptTokens: T,
    kvBytesFull: bytes,
    kvBytesCompressed: bytes,
    warnings: [],
  };
}
