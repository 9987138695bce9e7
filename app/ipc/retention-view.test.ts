import { describe, it, expect } from 'vitest';
import { keptSummary, layerCounts } from './retention-view';
import type { RetentionMap } from '../kv/retention-map';

// Two layers over 8 prompt tokens: layer 0 shared, layer 1 per KV head (two heads).
const map: RetentionMap = {
  promptLength: 8,
  layerCount: 2,
  budgets: [3, 3],
  keptPerLayer: [3, 3],
  layers: [
    { kind: 'shared', kept: new Int32Array([0, 6, 7]) },
    { kind: 'per-kv-head', kvHeads: [new Int32Array([2, 6, 7]), new Int32Array([1, 6, 7])] },
  ],
  tokenLayerCount: new Uint16Array([1, 1, 1, 0, 0, 0, 2, 2]),
  tokenLayerWeight: new Float32Array([1, 0.5, 0.5, 0, 0, 0, 2, 2]),
  totals: { tokensKept: 6, distinctTokensKept: 5, fullBytes: 1600, compressedBytes: 600 },
};

describe('retention view helpers', () => {
  it('counts per position how many layers kept it', () => {
    expect(Array.from(layerCounts(map, null))).toEqual([1, 1, 1, 0, 0, 0, 2, 2]);
    expect(Array.from(layerCounts(map, 0))).toEqual([1, 0, 0, 0, 0, 0, 1, 1]);
    // Per-KV-head layer: a token counts when any head kept it.
    expect(Array.from(layerCounts(map, 1))).toEqual([0, 1, 1, 0, 0, 0, 1, 1]);
  });

  it('reuses the output buffer and clears it first', () => {
    const out = new Uint8Array(8).fill(9);
    expect(layerCounts(map, 0, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('summarises kept tokens per layer on average and for one layer', () => {
    expect(keptSummary(map, null)).toEqual({ kept: 3, total: 8, percent: 37.5 });
    expect(keptSummary(map, 1)).toEqual({ kept: 3, total: 8, percent: 37.5 });
    expect(keptSummary(map, 5)).toEqual({ kept: 0, total: 8, percent: 0 });
  });
});
