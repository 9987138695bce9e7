/**
 * The decode loop on its own: from a prefilled (possibly compressed) cache and the logits of the
 * last prompt token, stream tokens at positions T, T+1, ... The cache's own position counter
 * gives the positions, never its length, so a compressed cache decodes where the full one would.
 *
 * Split from generate() because a document session decodes several times from one prefill (a
 * new budget re-gathers the stored full cache and decodes again with no forward pass over the
 * prompt).
 */
import { CancelledError, KvLensError } from '../../../app/errors';
import type { GeneratedToken, TextStream } from '../generation/generate';
import { Sampler, type SamplingOptions } from '../generation/sampling';
import type { KvCache } from '../kv/kv-cache';
import type { ModelSession } from '../runtime/model-session';

export interface DecodeOptions {
  maxNewTokens?: number;
  sampling?: SamplingOptions;
  eosIds?: readonly number[];
  text?: TextStream;
  signal?: AbortSignal;
}

export interface DecodeResult {
  tokens: number[];
  text: string;
  newTokens: number;
  /** Forward passes and sampling of the tokens after the first. */
  decodeMs: number;
  /** Tokens after the first, per second of decodeMs. */
  decodeTokensPerSecond: number;
  stopReason: 'eos' | 'max-new-tokens';
}

export const DEFAULT_DECODE_TOKENS = 256;

/**
 * Streams tokens; the return value sums them up. Generated tokens are appended to `cache` (the
 * caller owns it and disposes it); nothing is evicted. An aborted signal throws CancelledError
 * before the next forward pass.
 */
export async function* decodeFrom(
  session: ModelSession,
  cache: KvCache,
  firstLogits: Float32Array,
  o: DecodeOptions = {},
): AsyncGenerator<GeneratedToken, DecodeResult, undefined> {
  const maxNew = o.maxNewTokens ?? DEFAULT_DECODE_TOKENS;
  if (!Number.isInteger(maxNew) || maxNew < 1) {
    throw new KvLensError('invalid-argument', `max new tokens must be >= 1, got ${maxNew}.`);
  }
  // Room for every step up front, so no decode step copies the cache to grow it.
  cache.reserve(maxNew - 1);
  const sampler = new Sampler(o.sampling ?? { kind: 'greedy' });
  const eos = new Set(o.eosIds ?? []);
  const tokens: number[] = [];
  let text = '';
  let logits = firstLogits;
  let decodeMs = 0;
  let stepStart = -1;
  let stopReason: DecodeResult['stopReason'] = 'max-new-tokens';
  for (;;) {
    if (o.signal?.aborted) throw new CancelledError('Generation');
    const tokenId = sampler.next(logits);
    if (stepStart >= 0) decodeMs += performance.now() - stepStart;
    tokens.push(tokenId);
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
