/**
 * Prompt in, tokens out: chunked prefill, an optional compression hook, then a decode loop that
 * streams tokens as an async iterator.
 *
 * Decode positions are explicit (T, T+1, ...) from the cache's own counter, never its length, so
 * a compressed cache decodes at the same positions as the full one (compresskv.md).
 */
import type { KvCache } from '../kv/kv-cache';
import type { ScoreInput } from '../kv/score-input';
import type { ModelSession } from '../runtime/model-session';
import { checkMaxNewTokens, decodeLoop, drain, type DecodeResult } from './decode-loop';
import { prefill, type PrefillOptions } from './prefill';
import { Sampler, type SamplingOptions } from './sampling';

/** Called once after prefill; returns the cache to decode from (e.g. a gather of `cache`). */
export type CompressHook = (
  cache: KvCache,
  scores: ScoreInput | undefined,
) => KvCache | Promise<KvCache>;

/** Turns token ids into text incrementally (a tokenizer's streaming decoder). */
export interface TextStream {
  /** Text that became final with this token ('' while a multi-byte character is incomplete). */
  push(tokenId: number): string;
  /** Whatever is still held back at the end. */
  flush(): string;
}

export interface GenerateOptions extends PrefillOptions {
  maxNewTokens?: number;
  sampling?: SamplingOptions;
  eosIds?: readonly number[];
  compress?: CompressHook;
  /** A prefilled cache (e.g. a document prefix) to continue from; it is cloned, never changed. */
  prefixCache?: KvCache;
  text?: TextStream;
  /** Keep the decode cache (returned in the result) instead of disposing it at the end. */
  keepCache?: boolean;
  /** Keep the full post-prefill cache a compress hook gathered from (for re-selection). */
  keepFullCache?: boolean;
}

export interface GeneratedToken {
  tokenId: number;
  /** Text delta this token completed (may be ''). */
  text: string;
  index: number;
}

export interface GenerationStats {
  promptTokens: number;
  newTokens: number;
  prefillMs: number;
  prefillTokensPerSecond: number;
  timeToFirstTokenMs: number;
  compressMs: number;
  /** Forward passes and sampling of the tokens after the first. */
  decodeMs: number;
  /** Tokens after the first, per second of decodeMs. */
  decodeTokensPerSecond: number;
  provider: string;
  /** K+V bytes after prefill (full) and of the cache decoding ended with. */
  kvBytesFull: number;
  kvBytes: number;
  stopReason: 'eos' | 'max-new-tokens';
}

export interface GenerationResult {
  tokens: number[];
  text: string;
  stats: GenerationStats;
  /** Only with keepCache: the decode cache, owned by the caller. */
  cache?: KvCache;
  /** Only with keepFullCache and a compress hook: the uncompressed cache, owned by the caller. */
  fullCache?: KvCache;
}

export const DEFAULT_MAX_NEW_TOKENS = 256;

/**
 * Streams generated tokens; the generator's return value is the GenerationResult.
 *
 * Stops at an eos id or maxNewTokens. An aborted signal throws CancelledError before the next
 * forward pass; caches this call made are released on every exit (end, error, break).
 */
export async function* generate(
  session: ModelSession,
  promptIds: readonly number[],
  options: GenerateOptions = {},
): AsyncGenerator<GeneratedToken, GenerationResult, undefined> {
  // Bad options fail here, before any prefill work.
  const maxNew = checkMaxNewTokens(options.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS);
  const sampler = new Sampler(options.sampling ?? { kind: 'greedy' });
  const start = performance.now();
  // Room for the prompt, and for the decode steps unless a compress hook will build the decode
  // cache anyway: then no prefill chunk or decode step has to copy the cache to grow it.
  const decodeRoom = maxNew - 1;
  const room = promptIds.length + (options.compress ? 0 : decodeRoom);
  let cache: KvCache = options.prefixCache
    ? options.prefixCache.clone({ reserve: room })
    : session.emptyCache();
  let keptFull: KvCache | null = null;
  let keep = false;
  try {
    cache.reserve(room);
    const window = options.window ?? (options.compress ? 8 : 0);
    const pre = await prefill(session, cache, promptIds, { ...options, window });
    const kvBytesFull = cache.bytes();
    const compressStart = performance.now();
    if (options.compress) {
      const fullCache = cache;
      // If the hook throws, `cache` is still the full one and the finally block frees it.
      cache = await options.compress(fullCache, pre.scores);
      if (cache !== fullCache) {
        if (options.keepFullCache) keptFull = fullCache;
        else fullCache.dispose();
      }
    }
    const compressMs = performance.now() - compressStart;
    const d = yield* decodeLoop(session, cache, pre.logits, sampler, {
      ...options,
      maxNewTokens: maxNew,
    });
    const stats = generationStats(session, promptIds.length, pre, compressMs, d, {
      start,
      kvBytesFull,
      kvBytes: cache.bytes(),
    });
    const result: GenerationResult = { tokens: d.tokens, text: d.text, stats };
    if (options.keepCache) {
      keep = true;
      result.cache = cache;
    }
    if (keptFull) {
      result.fullCache = keptFull;
      keptFull = null;
    }
    return result;
  } finally {
    keptFull?.dispose();
    if (!keep) cache.dispose();
  }
}

/**
 * The figures of one generation from its parts: prefill (`prefilled` tokens in `ms`), the
 * compression time, the decode result, the start time and the cache sizes before and after.
 */
export function generationStats(
  session: ModelSession,
  promptTokens: number,
  prefilled: { tokens: number; ms: number },
  compressMs: number,
  d: DecodeResult,
  at: { start: number; kvBytesFull: number; kvBytes: number },
): GenerationStats {
  const { tokens, ms } = prefilled;
  return {
    promptTokens,
    newTokens: d.newTokens,
    prefillMs: ms,
    prefillTokensPerSecond: ms > 0 ? (tokens * 1000) / ms : 0,
    timeToFirstTokenMs: d.firstTokenAt - at.start,
    compressMs,
    decodeMs: d.decodeMs,
    decodeTokensPerSecond: d.decodeTokensPerSecond,
    provider: session.report.provider,
    kvBytesFull: at.kvBytesFull,
    kvBytes: at.kvBytes,
    stopReason: d.stopReason,
  };
}

/** Runs `generate` to the end and returns its result (for the CLI and tests). */
export async function generateAll(
  session: ModelSession,
  promptIds: readonly number[],
  options: GenerateOptions = {},
  onToken?: (t: GeneratedToken) => void,
): Promise<GenerationResult> {
  return drain(generate(session, promptIds, options), onToken);
}
