import { describe, expect, it } from 'vitest';
import type { KeptPositions } from '../../../app/kv/kept-positions';
import { selectKept } from './select-kept';
import { scoreInput } from './test-scores';

function plain(layer: KeptPositions | undefined): number[] | number[][] {
  if (!layer) throw new Error('missing layer');
  return layer.kind === 'shared' ? Array.from(layer.kept) : layer.kvHeads.map((k) => Array.from(k));
}

// L = 2, H = 4, G = 2, T = 10, W = 2 (prefix 0..7), kernel 1 so scores are the raw rows.
const input = scoreInput(4, 2, 10, [
  [
    [0, 0, 4, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 10],
    [0, 0, 0, 0, 0, 0, 0, 10],
    [0, 0, 0, 0, 0, 2, 0, 0],
  ],
  [
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 3, 0],
    [0, 0, 0, 2, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
  ],
]);
const calibration = { heads: { '0': [3, 0, 1, 2], '1': [1, 2, 0, 3] }, layerScores: [0.75, 0.25] };
// m = 3 so the tiny budget of 4 is feasible; M = 3B = 12.
const options = { window: 2, kernel: 1, srhHeads: 2, minBudget: 3 };

describe('selectKept: CompressKV', () => {
  it('scores with the top SRH, one shared set per layer, error-aware budgets', () => {
    // Budgets: total 8, spare 8 - 6 = 2: 1.5 -> 2, 0.5 -> 0 => [5, 3].
    // Layer 0, heads {3, 0}: mean = 2 at 2, 1 at 5 (heads 1, 2 on position 7 are ignored);
    // 3 slots: 2, 5, then 0 (zeros, lowest position).
    // Layer 1, heads {1, 2}: mean = 2 at 6, 1 at 3; 1 slot: 6.
    const r = selectKept('compresskv', input, 4, options, calibration);
    expect(r.budgets).toEqual([5, 3]);
    expect(r.layers[0]?.kind).toBe('shared');
    expect(plain(r.layers[0])).toEqual([0, 2, 5, 8, 9]);
    expect(plain(r.layers[1])).toEqual([6, 8, 9]);
    expect(r.warnings).toEqual([]);
  });

  it('falls back to all heads and uniform budgets without calibration, and says so', () => {
    // All heads, layer 0: mean = 5 at 7, 1 at 2, .5 at 5 -> 2 slots: 2, 7.
    // Layer 1: mean = 1 at 6, .5 at 3 -> 3, 6.
    const r = selectKept('compresskv', input, 4, options);
    expect(r.budgets).toEqual([4, 4]);
    expect(plain(r.layers[0])).toEqual([2, 7, 8, 9]);
    expect(plain(r.layers[1])).toEqual([3, 6, 8, 9]);
    expect(r.warnings.join(' ')).toMatch(/no layer scores.*uniform/);
    expect(r.warnings.join(' ')).toMatch(
      /no retrieval-head calibration; scoring every layer with all heads/,
    );
  });

  it('falls back per layer when one layer has no head ranking', () => {
    const r = selectKept('compresskv', input, 4, options, {
      heads: { '1': [1, 2] },
      layerScores: [0.75, 0.25],
    });
    expect(plain(r.layers[0])).toEqual([2, 5, 7, 8, 9]); // all heads: 7, 2, then 5
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/layer 0;/);
  });

  it('rejects calibration from another model', () => {
    expect(() => selectKept('compresskv', input, 4, options, { layerScores: [1, 1, 1] })).toThrow(
      /3 layers but the model has 2/,
    );
    expect(() => selectKept('compresskv', input, 4, options, { heads: { '0': [4] } })).toThrow(
      /head 4 for layer 0.*0\.\.3/,
    );
  });

  it('lowers the minimum layer budget below a tiny budget and warns', () => {
    const r = selectKept('compresskv', input, 4, { ...options, minBudget: 32 }, calibration);
    // m = 4 = B: every layer gets exactly 4.
    expect(r.budgets).toEqual([4, 4]);
    expect(r.warnings[0]).toMatch(/below the minimum layer budget 32/);
    const capped = selectKept('compresskv', input, 4, { ...options, maxBudget: 3 }, calibration);
    expect(capped.budgets).toEqual([4, 4]);
    expect(capped.warnings[0]).toMatch(/above the maximum layer budget 3/);
  });
});

describe('selectKept: ablations', () => {
  it('SRH only: CompressKV scoring with uniform budgets', () => {
    const r = selectKept('srh-only', input, 4, options, calibration);
    expect(r.budgets).toEqual([4, 4]);
    expect(plain(r.layers[0])).toEqual([2, 5, 8, 9]);
    expect(plain(r.layers[1])).toEqual([3, 6, 8, 9]);
  });

  it('SnapKV + layer budgets: per-KV-head SnapKV scoring with error-aware budgets', () => {
    // Budgets [5, 3]. Layer 0: KV 0 = mean(h0, h1) = 5 at 7, 2 at 2 -> 7, 2, 0;
    // KV 1 = mean(h2, h3) = 5 at 7, 1 at 5 -> 7, 5, 0.
    // Layer 1: KV 0 = 1.5 at 6 -> 6; KV 1 = mean(h2, h3) = 1 at 3, .5 at 6 -> 3.
    const r = selectKept('snapkv-layer-budgets', input, 4, options, calibration);
    expect(r.budgets).toEqual([5, 3]);
    expect(plain(r.layers[0])).toEqual([
      [0, 2, 7, 8, 9],
      [0, 5, 7, 8, 9],
    ]);
    expect(plain(r.layers[1])).toEqual([
      [6, 8, 9],
      [3, 8, 9],
    ]);
  });
});
