/**
 * Decoding on its own: from a prefilled (possibly compressed) cache and the logits of the last
 * prompt token, stream tokens at positions T, T+1, ... with the decode loop generate() uses.
 *
 * Split from generate() because a document session decodes several times from one prefill (a
 * new budget re-gathers the stored full cache and decodes again with no forward pass over the
 * prompt).
 */
import { checkMaxNewTokens, decodeLoop, type DecodeResult } from '../generation/decode-loop';
import {
  DEFAULT_MAX_NEW_TOKENS,
  type GeneratedToken,
  type TextStream,
} from '../generation/generate';
import { Sampler, type SamplingOptions } from '../generation/sampling';
import type { KvCache } from '../kv/kv-cache';
import type { ModelSession } from '../runtime/model-session';

export type { DecodeResult } from '../generation/decode-loop';

export interface DecodeOptions {
  maxNewTokens?: number;
  sampling?: SamplingOptions;
  eosIds?: readonly number[];
  text?: TextStream;
  signal?: AbortSignal;
}

export const DEFAULT_DECODE_TOKENS = DEFAULT_MAX_NEW_TOKENS;

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
  const maxNewTokens = checkMaxNewTokens(o.maxNewTokens ?? DEFAULT_DECODE_TOKENS);
  const sampler = new Sampler(o.sampling ?? { kind: 'greedy' });
  return yield* decodeLoop(session, cache, firstLogits, sampler, { ...o, maxNewTokens });
}
