import { describe, expect, it } from 'vitest';
import type { KvSelection } from '../../../app/kv/kept-positions';
import { buildRetentionMap } from './retention-map';

const i32 = (xs: number[]): Int32Array => Int32Array.from(xs);

// T = 6; layer 0 shared [0, 1, 5]; layer 1 per KV head: [0, 2, 5] and [1, 2, 5].
const selection: KvSelection = {
  budgets: [3, 3],
  layers: [
    { kind: 'shared', kept: i32([0, 1, 5]) },
    { kind: 'per-kv-head', kvHeads: [i32([0, 2, 5]), i32([1, 2, 5])] },
  ],
  warnings: [],
};

describe('buildRetentionMap', () => {
  it('counts layers per token (any KV head) and the fraction of KV heads', () => {
    const m = buildRetentionMap(selection, 6, 100);
    expect(Array.from(m.tokenLayerCount)).toEqual([2, 2, 1, 0, 0, 2]);
    expect(Array.from(m.tokenLayerWeight)).toEqual([1.5, 1.5, 1, 0, 0, 2]);
    expect(m.keptPerLayer).toEqual([3, 3]);
    expect(m.budgets).toEqual([3, 3]);
    expect(m.totals).toEqual({
      tokensKept: 6,
      distinctTokensKept: 4,
      fullBytes: 6 * 2 * 100,
      compressedBytes: 6 * 100,
    });
  });

  it('takes bytes per token per layer', () => {
    const m = buildRetentionMap(selection, 6, [100, 50]);
    expect(m.totals.fullBytes).toBe(6 * 150);
    expect(m.totals.compressedBytes).toBe(3 * 100 + 3 * 50);
    expect(() => buildRetentionMap(selection, 6, [100])).toThrow(/1 entries for 2 layers/);
  });
});
