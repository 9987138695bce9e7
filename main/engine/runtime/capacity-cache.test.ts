import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import { prefill } from '../generation/prefill';
import type { KvCache } from '../kv/kv-cache';
import { feedsCompactPast } from './model-session';
import { openTestModel, referenceGreedy, relativeError, type TestModel } from './test-model';

const prompt = [12, 7, 301, 44, 90, 3, 250, 18, 66];
const T = prompt.length;

/** Fills every spare slot of every layer with huge random finite values. */
function poisonSpareSlots(cache: KvCache, seed = 3): void {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32 - 0.5) * 4e30;
  };
  const { numKvHeads: G, headDim: d } = cache;
  for (let l = 0; l < cache.numLayers; l++) {
    const C = cache.capacity(l);
    const len = cache.length(l);
    for (const buf of [cache.keyBuffer(l), cache.valueBuffer(l)]) {
      for (let g = 0; g < G; g++) {
        for (let i = (g * C + len) * d; i < (g + 1) * C * d; i++) buf[i] = next();
      }
    }
  }
}

describe('capacity KV cache through the session (qwen3, GQA 2:1)', () => {
  let m: TestModel;
  beforeAll(async () => {
    m = await openTestModel('qwen3', {}, 5);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('runs on an empty cache with no capacity at all (C = 0)', async () => {
    const cache = m.session.emptyCache();
    expect(cache.capacity(0)).toBe(0);
    const out = await m.session.run({
      inputIds: prompt,
      positionIds: prompt.map((_, i) => i),
      cache,
    });
    const ref = referenceForwardWithCache(m.checkpoint, prompt);
    expect(relativeError(out.logits, ref.logits)).toBeLessThan(1e-4);
    expect(cache.lengths()).toEqual([T, T]);
    cache.dispose();
  });

  it('garbage in spare slots changes no logit, score or cached entry', async () => {
    const base = m.session.emptyCache();
    await prefill(m.session, base, prompt);
    const exact = base.clone();
    const wide = base.clone({ reserve: 7 });
    poisonSpareSlots(wide);
    expect(wide.capacity(1)).toBe(T + 7);
    const rows = Float32Array.from([1]);
    const step = {
      inputIds: [5],
      positionIds: [T],
      scoreRows: rows,
      wantScoresAll: true,
    };
    const a = await m.session.run({ ...step, cache: exact });
    const b = await m.session.run({ ...step, cache: wide });
    expect(relativeError(b.logits, a.logits)).toBeLessThan(1e-5);
    for (let l = 0; l < m.spec.numLayers; l++) {
      // Scores come back in cache index layout: [H, T + 1] whatever the capacity.
      expect(b.scores![l]!.length).toBe(m.spec.numHeads * (T + 1));
      expect(relativeError(b.scores![l]!, a.scores![l]!)).toBeLessThan(1e-5);
      expect(relativeError(b.scoresAll![l]!, a.scoresAll![l]!)).toBeLessThan(1e-5);
      expect(relativeError(wide.keyData(l), exact.keyData(l))).toBeLessThan(1e-5);
      expect(Array.from(wide.headPositions(l, 1))).toEqual([...prompt.keys(), T]);
    }
    // The reference's scores for the same step, column for column.
    const refPre = referenceForwardWithCache(m.checkpoint, prompt);
    const ref = referenceForwardWithCache(m.checkpoint, [5], {
      cache: refPre.cache,
      scoreRows: [0],
    });
    b.scores!.forEach((s, l) =>
      expect(
        relativeError(
          s,
          ref.attnScores[l]!.flatMap((r) => Array.from(r)),
        ),
      ).toBeLessThan(1e-4),
    );
    b.scoresAll!.forEach((s, l) =>
      expect(
        relativeError(
          s,
          ref.attnScoresAll[l]!.flatMap((r) => Array.from(r)),
        ),
      ).toBeLessThan(1e-4),
    );
    for (const c of [base, exact, wide]) c.dispose();
  });

  it('feeds the storage itself to decode steps, a compact copy to chunks with many spare slots', () => {
    // H = 4, G = 2 here; the garbage test above decodes on 7 spare slots after 9 valid entries.
    expect(feedsCompactPast(1, T + 7, T, 4, 2)).toBe(false);
    expect(feedsCompactPast(2, T + 2, T, 4, 2)).toBe(false);
    expect(feedsCompactPast(2, T + 7, T, 4, 2)).toBe(true);
    expect(feedsCompactPast(1, 10_000, 10, 4, 2)).toBe(false);
    expect(feedsCompactPast(4, T, T, 4, 2)).toBe(false);
    // A prefill chunk of 256 on a cache reserved for a 4096-token prompt, 512 tokens in.
    expect(feedsCompactPast(256, 4096, 512, 4, 2)).toBe(true);
    expect(feedsCompactPast(256, 4096 + 256, 4096, 4, 2)).toBe(true);
  });

  it('prefill on a cache reserved far beyond the prompt equals the exact-size one', async () => {
    const exact = m.session.emptyCache();
    const roomy = m.session.emptyCache();
    roomy.reserve(500);
    const opts = { chunkSize: 4, window: 3, scoresAll: true };
    const a = await prefill(m.session, exact, prompt, opts);
    const b = await prefill(m.session, roomy, prompt, opts);
    expect(roomy.capacity(0)).toBe(500);
    expect(relativeError(b.logits, a.logits)).toBeLessThan(1e-5);
    a.scores!.layers.forEach((la, l) => {
      const lb = b.scores!.layers[l]!;
      expect(relativeError(lb.window, la.window)).toBeLessThan(1e-5);
      expect(relativeError(lb.accumulated!, la.accumulated!)).toBeLessThan(1e-5);
    });
    exact.dispose();
    roomy.dispose();
  });

  it('grows during decode when it has no room, and decodes in place when it reserved room', async () => {
    const ref = referenceForwardWithCache(m.checkpoint, prompt);
    const want = referenceGreedy(m.checkpoint, ref.logits, ref.cache, 6);
    for (const reserve of [0, 5]) {
      const cache = m.session.emptyCache();
      const pre = await prefill(m.session, cache, prompt);
      expect(cache.capacity(0)).toBe(T);
      cache.reserve(reserve);
      const buffer = cache.keyBuffer(0);
      const capacities = [cache.capacity(0)];
      const tokens: number[] = [];
      let logits = pre.logits;
      for (let i = 0; i < 6; i++) {
        const y = logits.indexOf(Math.max(...logits));
        tokens.push(y);
        if (i === 5) break;
        logits = (await m.session.run({ inputIds: [y], positionIds: [cache.nextPosition], cache }))
          .logits;
        capacities.push(cache.capacity(0));
        expect(relativeError(logits, want.logits[i + 1]!)).toBeLessThan(1e-4);
      }
      expect(tokens).toEqual(want.tokens);
      expect(cache.lengths()).toEqual([T + 5, T + 5]);
      if (reserve === 0) {
        // Full after the prompt: the first append regrew the layer (once), the rest fit.
        expect(capacities[1]).toBeGreaterThan(T + 1);
        expect(new Set(capacities.slice(1)).size).toBe(1);
        expect(cache.keyBuffer(0)).not.toBe(buffer);
      } else {
        expect(capacities).toEqual(new Array(6).fill(T + 5));
        expect(cache.keyBuffer(0)).toBe(buffer);
      }
      expect(cache.bytes()).toBe(2 * 2 * (T + 5) * m.spec.numKvHeads * m.spec.headDim * 4);
      cache.dispose();
    }
  });

  it('feeds the cache storage itself: editing a valid entry in place changes the next run', async () => {
    const cache = m.session.emptyCache();
    await prefill(m.session, cache, prompt);
    cache.reserve(4);
    const copy = cache.clone({ reserve: 4 });
    const step = { inputIds: [8], positionIds: [T] };
    const same = await m.session.run({ ...step, cache: copy });
    const value = cache.valueBuffer(1);
    value[3] = value[3]! + 5; // layer 1, KV head 0, entry 0
    const changed = await m.session.run({ ...step, cache });
    expect(relativeError(changed.logits, same.logits)).toBeGreaterThan(1e-4);
    cache.dispose();
    copy.dispose();
  });
});
