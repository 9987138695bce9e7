/**
 * The decode loop shared by generate() and a document session's decodeFrom(): from a prefilled
 * (possibly compressed) cache and the logits of the last prompt token, sample, stop at eos,
 * stream text, and run one forward pass per token at positions T, T+1, ...
 *
 * The cache's own position counter gives the positions, never its length, so a compressed cache
 * decodes where the full one would (compresskv.md).
 */
import { CancelledError, KvLensError } from '../../../app/errors';
import type { KvCache } from '../kv/kv-cache';
import type { ModelSession } from '../runtime/model-session';
import type { GeneratedToken, TextStream } from './generate';
import type { Sampler } from './sampling';

export interface DecodeLoopOptions {
  /** Checked by the caller with checkMaxNewTokens (before any prefill work). */
  maxNewTokens: number;
  eosIds?: readonly number[];
  text?: TextStream;
  signal?: AbortSignal;
}

export interface DecodeResult {
  tokens: number[];
  /** Streamed text plus the decoder's flushed tail. */
  text: string;
  newTokens: number;
  /** performance.now() when the first token was sampled (for time-to-first-token). */
  firstTokenAt: number;
  /** Forward passes and sampling of the tokens after the first. */
  decodeMs: number;
  /** Tokens after the first, per second of decodeMs. */
  decodeTokensPerSecond: number;
  stopReason: 'eos' | 'max-new-tokens';
}

/** Throws the user-facing error for a max-new-tokens that is not a whole number >= 1. */
export function checkMaxNewTokens(maxNew: number): number {
  if (!Number.isInteger(maxNew) || maxNew < 1) {
    throw new KvLensError('invalid-argument', `max new tokens must be >= 1, got ${maxNew}.`);
  }
  return maxNew;
}

/**
 * Streams tokens decoded from `cache`; the return value sums them up.
 *
 * Generated tokens are appended to `cache` (the caller owns it and disposes it); nothing is
 * evicted. An aborted signal throws CancelledError before the next forward pass.
 */
export async function* decodeLoop(
  session: ModelSession,
  cache: KvCache,
  firstLogits: Float32Array,
  sampler: Sampler,
  o: DecodeLoopOptions,
): AsyncGenerator<GeneratedToken, DecodeResult, undefined> {
  const maxNew = o.maxNewTokens;
  // Room for every step up front, so no decode step copies the cache to grow it.
  cache.reserve(maxNew - 1);
  const eos = new Set(o.eosIds ?? []);
  const tokens: number[] = [];
  let text = '';
  let logits = firstLogits;
  let firstTokenAt = 0;
  // Decode time counts forward passes and sampling, not the time the consumer holds a token.
  let decodeMs = 0;
  let stepStart = -1;
  let stopReason: DecodeResult['stopReason'] = 'max-new-tokens';
  for (;;) {
    if (o.signal?.aborted) throw new CancelledError('Generation');
    const tokenId = sampler.next(logits);
    if (stepStart >= 0) decodeMs += performance.now() - stepStart;
    tokens.push(tokenId);
    if (tokens.length === 1) firstTokenAt = performance.now();
    const isEos = eos.has(tokenId);
    const delta = isEos || !o.text ? '' : o.text.push(tokenId);
    text += delta;
    yield { tokenId, text: delta, index: tokens.length - 1 };
    if (isEos) {
      stopReason = 'eos';
      break;
    }
    if (tokens.length >= maxNew) break;
    if (o.signal?.aborted) throw new CancelledError('Generation');
    stepStart = performance.now();
    const out = await session.run({
      inputIds: [tokenId],
      positionIds: [cache.nextPosition],
      cache,
    });
    logits = out.logits;
  }
  text += o.text?.flush() ?? '';
  const steps = tokens.length - 1;
  return {
    tokens,
    text,
    newTokens: tokens.length,
    firstTokenAt,
    decodeMs,
    decodeTokensPerSecond: decodeMs > 0 ? (steps * 1000) / decodeMs : 0,
    stopReason,
  };
}

/** Runs an async token generator to the end, calling onToken per token; returns its result. */
export async function drain<R>(
  it: AsyncGenerator<GeneratedToken, R, undefined>,
  onToken?: (t: GeneratedToken) => void,
): Promise<R> {
  for (;;) {
    const r = await it.next();
    if (r.done) return r.value;
    onToken?.(r.value);
  }
}
