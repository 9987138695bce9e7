import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../app/errors';
import { filterReferenceCache } from '../../../native-models/reference/reference-cache';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import type { KvCache, LayerSelection } from '../kv/kv-cache';
import {
  openTestModel,
  referenceGreedy,
  relativeError,
  type TestModel,
} from '../runtime/test-model';
import { ModelTokenizer } from '../tokenizer/model-tokenizer';
import { generate, generateAll } from './generate';
import { prefill } from './prefill';

const prompt = [9, 200, 31, 77, 4, 150, 61, 310, 8, 45, 120, 6, 99];
const T = prompt.length;
const greedy = { kind: 'greedy' } as const;
const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('generation on a llama-family checkpoint', () => {
  let m: TestModel;
  beforeAll(async () => {
    m = await openTestModel('llama');
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('chunked prefill + incremental decode equals a one-shot prefill', async () => {
    const oneShot = m.session.emptyCache();
    const chunked = m.session.emptyCache();
    const a = await prefill(m.session, oneShot, prompt, { chunkSize: 256 });
    const b = await prefill(m.session, chunked, prompt, { chunkSize: 3 });
    expect(relativeError(b.logits, a.logits)).toBeLessThan(1e-4);
    expect(chunked.lengths()).toEqual(oneShot.lengths());
    expect(relativeError(chunked.keyData(1), oneShot.keyData(1))).toBeLessThan(1e-4);
    oneShot.dispose();
    chunked.dispose();
    const runs = await Promise.all([256, 5, 1].map((c) => tokensWith({ chunkSize: c })));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('gathering ALL positions changes nothing', async () => {
    const plain = await generateAll(m.session, prompt, { maxNewTokens: 8, sampling: greedy });
    const gathered = await generateAll(m.session, prompt, {
      maxNewTokens: 8,
      sampling: greedy,
      compress: (cache) => cache.gather(cache.lengths().map(() => shared(all(T)))),
    });
    expect(gathered.tokens).toEqual(plain.tokens);
    expect(gathered.stats.kvBytes).toBe(plain.stats.kvBytes);
  });

  it('decoding after gathering a subset equals the reference on the same kept entries', async () => {
    // Different lengths per layer, and per-KV-head sets in layer 1; positions are not renumbered.
    const keptL0 = all(T).filter((p) => ![2, 5, 6, 11].includes(p));
    const keptL1 = [
      all(T).filter((p) => ![0, 3, 9].includes(p)),
      all(T).filter((p) => ![4, 7, 8].includes(p)),
    ];
    const selection: LayerSelection[] = [shared(keptL0), { kind: 'per-kv-head', kvHeads: keptL1 }];
    expect(m.spec.numLayers).toBe(2);
    expect(m.spec.numKvHeads).toBe(2);
    const full = referenceForwardWithCache(m.checkpoint, prompt);
    const kept = (l: number, g: number) => (l === 0 ? keptL0 : keptL1[g]!);
    const evicted = filterReferenceCache(full.cache, (l, g, e) => kept(l, g).includes(e.position));
    const want = referenceGreedy(m.checkpoint, full.logits, evicted, 6);
    const unevicted = referenceGreedy(m.checkpoint, full.logits, full.cache, 2);
    // The eviction must matter, or this test could not see a wrong gather.
    expect(relativeError(want.logits[1]!, unevicted.logits[1]!)).toBeGreaterThan(1e-3);

    const got = await generateAll(m.session, prompt, {
      maxNewTokens: 6,
      sampling: greedy,
      keepCache: true,
      compress: (cache) => cache.gather(selection),
    });
    expect(got.tokens).toEqual(want.tokens);
    const decodeCache = got.cache!;
    // The new tokens went in at positions T, T+1, ... after the kept ones, in every KV head.
    const tail = Array.from(decodeCache.headPositions(1, 1)).slice(-5);
    expect(tail).toEqual([T, T + 1, T + 2, T + 3, T + 4]);
    expect(decodeCache.lengths()).toEqual([keptL0.length + 5, keptL1[0]!.length + 5]);
    expect(decodeCache.nextPosition).toBe(T + 5);
    decodeCache.dispose();

    // Step by step, the logits match too (explicit positions T, T+1, ...).
    const cache = m.session.emptyCache();
    await prefill(m.session, cache, prompt, { chunkSize: 4 });
    const small = cache.gather(selection);
    cache.dispose();
    for (let i = 0; i < 5; i++) {
      const out = await m.session.run({
        inputIds: [want.tokens[i]!],
        positionIds: [T + i],
        cache: small,
      });
      expect(relativeError(out.logits, want.logits[i + 1]!)).toBeLessThan(1e-4);
    }
    small.dispose();
  });

  it('the compress hook gets window scores and adds no forward pass', async () => {
    const before = m.session.runCount;
    let seen = 0;
    const r = await generateAll(m.session, prompt, {
      maxNewTokens: 4,
      sampling: greedy,
      chunkSize: 5,
      compress: (cache, scores) => {
        seen++;
        expect(scores?.T).toBe(T);
        expect(scores?.layers[0]!.window.length).toBe(m.spec.numHeads * T);
        return cache;
      },
    });
    expect(seen).toBe(1);
    // 3 prefill chunks + one run per token after the first.
    expect(m.session.runCount - before).toBe(3 + r.tokens.length - 1);
  });

  it('continues from a prefix cache without changing it', async () => {
    const prefix = m.session.emptyCache();
    await prefill(m.session, prefix, prompt.slice(0, 8));
    const lengths = prefix.lengths();
    const suffixRun = await tokensWith({ prefixCache: prefix }, prompt.slice(8));
    expect(suffixRun).toEqual(await tokensWith({}));
    expect(prefix.lengths()).toEqual(lengths);
    expect(prefix.nextPosition).toBe(8);
    prefix.dispose();
  });

  it('stops at an eos id and reports why', async () => {
    const free = await tokensWith({});
    const r = await generateAll(m.session, prompt, {
      maxNewTokens: 8,
      sampling: greedy,
      eosIds: [free[2]!],
    });
    expect(r.tokens).toEqual(free.slice(0, free.indexOf(free[2]!) + 1));
    expect(r.stats.stopReason).toBe('eos');
  });

  it('seeded sampling is reproducible and the streamed text equals decode()', async () => {
    const tokenizer = ModelTokenizer.load(m.dir);
    const run = (seed: number) =>
      generateAll(m.session, prompt, {
        maxNewTokens: 10,
        sampling: { kind: 'sample', temperature: 1.5, topP: 0.95, seed },
        text: tokenizer.createStreamDecoder(),
      });
    const a = await run(1);
    const b = await run(1);
    expect(b.tokens).toEqual(a.tokens);
    expect(a.text).toBe(tokenizer.decode(a.tokens));
    const others = await Promise.all([2, 3, 4].map((s) => run(s)));
    expect(others.some((o) => o.tokens.join() !== a.tokens.join())).toBe(true);
  });

  it('cancellation mid-decode throws CancelledError, frees the cache and stops running', async () => {
    const controller = new AbortController();
    let cache: KvCache | undefined;
    const it = generate(m.session, prompt, {
      maxNewTokens: 50,
      sampling: greedy,
      signal: controller.signal,
      compress: (c) => (cache = c),
    });
    const seen: number[] = [];
    const consume = async () => {
      for await (const t of it) {
        seen.push(t.tokenId);
        if (seen.length === 3) controller.abort();
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(CancelledError);
    expect(seen.length).toBe(3);
    expect(cache?.disposed).toBe(true);
    const runs = m.session.runCount;
    await new Promise((r) => setTimeout(r, 20));
    expect(m.session.runCount).toBe(runs);
    // The session is still usable afterwards.
    expect((await tokensWith({})).length).toBe(8);
  });

  it('reports prefill progress per chunk and checks the signal between chunks', async () => {
    const seen: [number, number][] = [];
    const cache = m.session.emptyCache();
    await prefill(m.session, cache, prompt, {
      chunkSize: 4,
      onProgress: (p) => {
        seen.push([p.done, p.total]);
        expect(p.etaMs).toBeGreaterThanOrEqual(0);
      },
    });
    expect(seen).toEqual([
      [4, T],
      [8, T],
      [12, T],
      [T, T],
    ]);
    const controller = new AbortController();
    const before = m.session.runCount;
    const fresh = m.session.emptyCache();
    await expect(
      prefill(m.session, fresh, prompt, {
        chunkSize: 4,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(m.session.runCount).toBe(before + 1);
    cache.dispose();
    fresh.dispose();
  });

  it('an already aborted signal cancels before any forward pass', async () => {
    const before = m.session.runCount;
    const controller = new AbortController();
    controller.abort();
    await expect(
      generateAll(m.session, prompt, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(m.session.runCount).toBe(before);
  });

  async function tokensWith(
    extra: Parameters<typeof generateAll>[2],
    ids: number[] = prompt,
  ): Promise<number[]> {
    const r = await generateAll(m.session, ids, { maxNewTokens: 8, sampling: greedy, ...extra });
    return r.tokens;
  }
});

function shared(kept: number[]): LayerSelection {
  return { kind: 'shared', kept };
}
