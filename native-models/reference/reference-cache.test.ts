import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../app/model/model-spec';
import { emptyReferenceCache, filterReferenceCache, layerKvArrays } from './reference-cache';
import { referenceForwardWithCache, referenceLogits } from './reference-forward';
import { memoryWeights, tinySpec } from './memory-weights';

const PROMPT = [3, 17, 5, 29, 8, 1, 12, 20];
const LLAMA3 = {
  type: 'llama3' as const,
  factor: 8,
  lowFreqFactor: 1,
  highFreqFactor: 4,
  originalMaxPositionEmbeddings: 64,
};
const SPECS: ModelSpec[] = [
  tinySpec('llama', { ropeScaling: LLAMA3 }),
  tinySpec('mistral', { numKvHeads: 1 }),
  tinySpec('qwen2'),
  tinySpec('qwen3'),
];

function relDiff(a: Float64Array, b: Float64Array): number {
  let max = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / max;
}

describe('reference forward with an explicit cache', () => {
  it('running a prompt in pieces (and token by token) equals one pass, for every family', () => {
    for (const spec of SPECS) {
      const m = memoryWeights(spec, 21);
      const whole = referenceForwardWithCache(m, PROMPT);
      const a = referenceForwardWithCache(m, PROMPT.slice(0, 3));
      const b = referenceForwardWithCache(m, PROMPT.slice(3), { cache: a.cache });
      expect(relDiff(whole.logits, b.logits)).toBeLessThan(1e-12);
      expect(b.cache.nextPosition).toBe(PROMPT.length);
      const lastKey = (r: typeof whole) => r.cache.layers[1]![0]!.at(-1)!.key;
      expect(relDiff(lastKey(whole), lastKey(b))).toBeLessThan(1e-12);
      let step = referenceForwardWithCache(m, PROMPT.slice(0, 1));
      for (const t of PROMPT.slice(1))
        step = referenceForwardWithCache(m, [t], { cache: step.cache });
      expect(relDiff(whole.logits, step.logits)).toBeLessThan(1e-12);
      // The first call's cache is untouched by the second.
      expect(a.cache.layers[0]![0]!.length).toBe(3);
    }
  });

  it('shifting every position by the same offset leaves the logits unchanged (RoPE is relative)', () => {
    for (const spec of SPECS) {
      const m = memoryWeights(spec, 22);
      const base = referenceLogits(m, PROMPT);
      const shifted = referenceLogits(
        m,
        PROMPT,
        PROMPT.map((_, i) => i + 1000),
      );
      expect(relDiff(base, shifted)).toBeLessThan(1e-9);
      const gap = referenceLogits(
        m,
        PROMPT,
        PROMPT.map((_, i) => (i < 4 ? i : i + 5)),
      );
      expect(relDiff(base, gap)).toBeGreaterThan(1e-4);
    }
  });

  it('1 layer: evicting cached tokens then decoding at T equals a pass without them at their positions', () => {
    // In layer 0 a token's K/V depend only on its own embedding and position, so dropping
    // entries must match never having run those tokens.
    for (const spec of SPECS) {
      const m = memoryWeights({ ...spec, numLayers: 1 }, 23);
      const prefill = referenceForwardWithCache(m, PROMPT);
      const drop = new Set([1, 4, 5]);
      const kept = filterReferenceCache(prefill.cache, (_l, _g, e) => !drop.has(e.position));
      expect(kept.nextPosition).toBe(PROMPT.length);
      expect(prefill.cache.layers[0]![0]!.length).toBe(PROMPT.length);
      const T = PROMPT.length;
      const decoded = referenceForwardWithCache(m, [7], { cache: kept });
      const keptIdx = PROMPT.map((_, i) => i).filter((i) => !drop.has(i));
      const direct = referenceLogits(m, [...keptIdx.map((i) => PROMPT[i]!), 7], [...keptIdx, T]);
      expect(relDiff(direct, decoded.logits)).toBeLessThan(1e-12);
      expect(decoded.cache.layers[0]![0]!.map((e) => e.position)).toEqual([...keptIdx, T]);
    }
  });

  it('keeping every entry equals no eviction; per-KV-head eviction only touches heads that read it', () => {
    const spec = tinySpec('llama', { numLayers: 1, numHeads: 2, numKvHeads: 2 });
    const m = memoryWeights(spec, 24);
    const d = spec.headDim;
    // Zero the o_proj columns of query head 0: its output no longer reaches the logits.
    const o = m.tensors.get('model.layers.0.self_attn.o_proj.weight')!;
    for (let r = 0; r < spec.hiddenSize; r++) o.fill(0, r * 2 * d, r * 2 * d + d);
    const prefill = referenceForwardWithCache(m, PROMPT);
    const next = (cache: typeof prefill.cache) =>
      referenceForwardWithCache(m, [4], { cache }).logits;
    const full = next(prefill.cache);
    expect(relDiff(full, next(filterReferenceCache(prefill.cache, () => true)))).toBe(0);
    const dropFrom = (g: number) =>
      filterReferenceCache(prefill.cache, (_l, kv, e) => !(kv === g && e.position < 4));
    expect(relDiff(full, next(dropFrom(0)))).toBeLessThan(1e-12);
    expect(relDiff(full, next(dropFrom(1)))).toBeGreaterThan(1e-4);
  });

  it('attention scores: every row sums to one, rows see only past entries, selection sums rows', () => {
    const m = memoryWeights(tinySpec('qwen3'), 25);
    const first = referenceForwardWithCache(m, PROMPT.slice(0, 5));
    const S = 3;
    const r = referenceForwardWithCache(m, PROMPT.slice(5), { cache: first.cache, scoreRows: [0] });
    const all = referenceForwardWithCache(m, PROMPT.slice(5), {
      cache: first.cache,
      scoreRows: [0, 1, 2],
    });
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    for (let l = 0; l < 2; l++) {
      for (let h = 0; h < 4; h++) {
        const sel = r.attnScores[l]![h]!;
        expect(sel.length).toBe(5 + S);
        expect(sum(sel)).toBeCloseTo(1, 12);
        // Row 0 sees the 5 cached entries and itself, not the 2 later tokens.
        expect([sel[6], sel[7]]).toEqual([0, 0]);
        expect(sel[5]).toBeGreaterThan(0);
        expect(sum(r.attnScoresAll[l]![h]!)).toBeCloseTo(S, 12);
        expect(Array.from(all.attnScores[l]![h]!)).toEqual(Array.from(r.attnScoresAll[l]![h]!));
      }
    }
  });

  it('exports a layer as [G, P, d] arrays and refuses heads of different lengths', () => {
    const m = memoryWeights(tinySpec('llama'), 27);
    const { cache } = referenceForwardWithCache(m, [1, 2, 3], { positions: [4, 5, 6] });
    const out = layerKvArrays(cache, 1);
    const d = m.spec.headDim;
    expect(out.length).toBe(3);
    expect(out.positions).toEqual([4, 5, 6]);
    // KV head 1, position index 2 starts at (1 * 3 + 2) * d.
    expect(Array.from(out.keys.subarray(5 * d, 6 * d))).toEqual(
      Array.from(cache.layers[1]![1]![2]!.key),
    );
    expect(Array.from(out.values.subarray(0, d))).toEqual(
      Array.from(cache.layers[1]![0]![0]!.value),
    );
    const uneven = filterReferenceCache(cache, (_l, g, _e, i) => g === 0 || i > 0);
    expect(() => layerKvArrays(uneven, 0)).toThrow(/different counts/);
  });

  it('checks the cache has the model layout', () => {
    const m = memoryWeights(tinySpec('llama'), 26);
    const wrong = emptyReferenceCache({ numLayers: 2, numKvHeads: 3 });
    expect(() => referenceForwardWithCache(m, [1], { cache: wrong })).toThrow(/2 KV heads/);
  });
});
