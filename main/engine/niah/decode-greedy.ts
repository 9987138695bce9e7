/**
 * Greedy decoding from an already prefilled (and possibly compressed) cache: the harness prefills
 * a prompt once and decodes it many times, once per compressed cache.
 */
import { CancelledError } from '../../../app/errors';
import { argmax } from '../generation/sampling';
import type { KvCache } from '../kv/kv-cache';
import type { ModelSession } from '../runtime/model-session';

/**
 * Generated ids (eos excluded) starting with `firstToken` (the prefill's argmax), continuing at
 * the cache's own next position; `cache` is extended in place.
 */
export async function decodeGreedy(
  session: ModelSession,
  cache: KvCache,
  firstToken: number,
  o: { maxNewTokens: number; eosIds: readonly number[]; signal?: AbortSignal },
): Promise<number[]> {
  const eos = new Set(o.eosIds);
  const tokens: number[] = [];
  let y = firstToken;
  while (!eos.has(y)) {
    tokens.push(y);
    if (tokens.length >= o.maxNewTokens) break;
    if (o.signal?.aborted) throw new CancelledError('The needle-in-a-haystack run');
    const out = await session.run({ inputIds: [y], positionIds: [cache.nextPosition], cache });
    y = argmax(out.logits);
  }
  return tokens;
}
