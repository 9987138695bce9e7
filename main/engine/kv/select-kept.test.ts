import { describe, expect, it } from 'vitest';
import { KvLensError } from '../../../app/errors';
import type { KeptPositions } from '../../../app/kv/kept-positions';
import { KV_METHODS } from '../../../app/kv/methods';
import { selectKept } from './select-kept';
import { scoreInput } from './test-scores';

/** Kept positions as plain arrays: number[] for shared layers, number[][] per KV head. */
function plain(layer: KeptPositions | undefined): number[] | number[][] {
  if (!layer) throw new Error('missing layer');
  return layer.kind === 'shared' ? Array.from(layer.kept) : layer.kvHeads.map((k) => Array.from(k));
}

// One layer, H = 4 query heads, G = 2 KV heads, T = 10, W = 2 (prefix = positions 0..7).
const snapInput = scoreInput(4, 2, 10, [
  [
    [0, 1, 0, 0, 5, 0, 0, 2, 9, 9],
    [0, 3, 0, 0, 1, 0, 0, 2, 9, 9],
    [1, 0, 1, 0, 0, 0, 0, 0, 9, 9],
    [0, 0, 1, 0, 1, 0, 0, 0, 9, 9],
  ],
]);
const k1 = { window: 2, kernel: 1 };

describe('selectKept: SnapKV', () => {
  it('keeps the top prefix positions per KV head plus the window', () => {
    // KV 0 = mean(h0, h1) = [0,2,0,0,3,0,0,2]: top 3 = 4, then 1 and 7 (tie at 2).
    // KV 1 = mean(h2, h3) = [.5,0,1,0,.5,0,0,0]: top 3 = 2, then 0 and 4 (tie at .5).
    const r = selectKept('snapkv', snapInput, 5, k1);
    expect(r.budgets).toEqual([5]);
    expect(plain(r.layers[0])).toEqual([
      [1, 4, 7, 8, 9],
      [0, 2, 4, 8, 9],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('breaks ties toward lower positions', () => {
    // KV 1 with one prefix slot: 2 (score 1). With two: 2 and then 0 (0 < 4 at .5).
    expect(plain(selectKept('snapkv', snapInput, 3, k1).layers[0])[1]).toEqual([2, 8, 9]);
    expect(plain(selectKept('snapkv', snapInput, 4, k1).layers[0])[1]).toEqual([0, 2, 8, 9]);
  });

  it('pools with kernel 5 dividing by 5 at the edges, ignoring window columns', () => {
    // T = 12, W = 2, prefix 0..9. Spike 5 at 0 -> 1.0 at 0..2; spike 6 at 6 -> 1.2 at 4..8.
    // 1 slot: 4; 6 slots: 4..8, then 0 (1.0 ties at 0..2 -> lowest).
    // Window columns hold 50: if they leaked into pooling, 8 and 9 would win.
    // Dividing by the in-range count at the edge would give position 0 5/3 and make it win.
    const input = scoreInput(1, 1, 12, [[[5, 0, 0, 0, 0, 0, 6, 0, 0, 0, 50, 50]]]);
    const r = selectKept('snapkv', input, 3, { window: 2 });
    expect(plain(r.layers[0])).toEqual([[4, 10, 11]]);
    expect(plain(selectKept('snapkv', input, 8, { window: 2 }).layers[0])).toEqual([
      [0, 4, 5, 6, 7, 8, 10, 11],
    ]);
  });

  it('max pooling takes the neighbourhood maximum', () => {
    // kernel 3 max: [5,5,0,0,0,6,6,6,0,0] -> top 2: 0 (5 vs 6: no) -> 5, 6.
    const input = scoreInput(1, 1, 12, [[[5, 0, 0, 0, 0, 0, 6, 0, 0, 0, 50, 50]]]);
    const r = selectKept('snapkv', input, 4, { window: 2, kernel: 3, pooling: 'max' });
    expect(plain(r.layers[0])).toEqual([[5, 6, 10, 11]]);
  });
});

describe('selectKept: keptTail (the app keeps the question)', () => {
  it('keeps the last keptTail positions whatever their score and picks the rest before them', () => {
    // Tail 6..9 kept; 2 more from 0..5 by the window scores of the same 2 window rows.
    // KV 0 = [0,2,0,0,3,0 | 0,2]: 4 and 1 (7, scored 2, is in the tail anyway).
    // KV 1 = [.5,0,1,0,.5,0 | 0,0]: 2, then 0 (tie with 4 at .5 goes to the lower position).
    const r = selectKept('snapkv', snapInput, 6, { ...k1, keptTail: 4 });
    expect(plain(r.layers[0])).toEqual([
      [1, 4, 6, 7, 8, 9],
      [0, 2, 6, 7, 8, 9],
    ]);
    // compresskv.md as written at the same budget: the top 4 of 0..7 (ties at 0 to the lowest
    // positions), then the window.
    expect(plain(selectKept('snapkv', snapInput, 6, k1).layers[0])).toEqual([
      [0, 1, 4, 7, 8, 9],
      [0, 1, 2, 4, 8, 9],
    ]);
    // One shared set per layer (CompressKV without calibration: all heads): [.25,1,.5,0,1.5,0].
    const shared = selectKept('compresskv', snapInput, 6, { ...k1, keptTail: 4 });
    expect(plain(shared.layers[0])).toEqual([1, 4, 6, 7, 8, 9]);
  });

  it('keeps only the most recent positions when the budget is not above the tail', () => {
    expect(plain(selectKept('snapkv', snapInput, 3, { ...k1, keptTail: 4 }).layers[0])).toEqual([
      [7, 8, 9],
      [7, 8, 9],
    ]);
  });

  it('changes nothing when it is not longer than the window, and rejects a negative value', () => {
    const plainWindow = plain(selectKept('snapkv', snapInput, 5, k1).layers[0]);
    expect(plain(selectKept('snapkv', snapInput, 5, { ...k1, keptTail: 2 }).layers[0])).toEqual(
      plainWindow,
    );
    expect(() => selectKept('snapkv', snapInput, 5, { ...k1, keptTail: -1 })).toThrow(/keptTail/);
  });
});

describe('selectKept: GQA grouping', () => {
  it('maps query heads to KV heads in contiguous groups (H=8, G=2)', () => {
    // Heads 0..3 (KV 0) look at position 1; heads 4..7 (KV 1) at position 5, and weakly at 1.
    // Interleaved grouping (h % G) would mix them and pick 1 for both KV heads.
    const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((h) =>
      h < 4 ? [0, 1, 0, 0, 0, 0, 0, 0] : [0, 0.2, 0, 0, 0, 0.9, 0, 0],
    );
    const input = scoreInput(8, 2, 8, [rows]);
    const r = selectKept('snapkv', input, 3, { window: 2, kernel: 1 });
    expect(plain(r.layers[0])).toEqual([
      [1, 6, 7],
      [5, 6, 7],
    ]);
  });
});

describe('selectKept: StreamingLLM, H2O, FullKV', () => {
  const T = 20;
  const input = scoreInput(2, 1, T, [
    [[], []],
    [[], []],
  ]);

  it('StreamingLLM keeps 4 sinks and the most recent B - 4', () => {
    const r = selectKept('streamingllm', input, 8);
    expect(r.budgets).toEqual([8, 8]);
    for (const l of r.layers) expect(plain(l)).toEqual([0, 1, 2, 3, 16, 17, 18, 19]);
  });

  it('FullKV keeps everything and reports T as the budget', () => {
    const r = selectKept('full', input, 8);
    expect(r.budgets).toEqual([T, T]);
    expect(plain(r.layers[1])).toEqual(Array.from({ length: T }, (_, i) => i));
  });

  it('H2O ranks by accumulated attention averaged over the group, not by window scores', () => {
    // mean(acc h0, acc h1) over prefix 0..5 = [2,1,0,2,2,0]; top 2 = 0, 3 (ties -> lower).
    // The window scores point at 1 and 5 and must be ignored.
    const h2o = scoreInput(
      2,
      1,
      8,
      [
        [
          [0, 9, 0, 0, 0, 9, 0, 0],
          [0, 9, 0, 0, 0, 9, 0, 0],
        ],
      ],
      [
        [
          [3, 1, 0, 2, 0, 0, 5, 5],
          [1, 1, 0, 2, 4, 0, 5, 5],
        ],
      ],
    );
    const r = selectKept('h2o', h2o, 4, { window: 2 });
    expect(plain(r.layers[0])).toEqual([[0, 3, 6, 7]]);
  });

  it('H2O without accumulated scores says which input is missing', () => {
    const noAcc = scoreInput(1, 1, 8, [[[1, 2, 3, 4, 5, 6, 7, 8]]]);
    expect(() => selectKept('h2o', noAcc, 4)).toThrow(/attn_scores_all/);
  });
});

describe('selectKept: PyramidKV', () => {
  it('uses pyramid budgets with SnapKV scoring and keeps the total', () => {
    // L = 2, B = 4, W = 2: P = 2, min 0.1, max 3.9 -> p = 3.9, 0.1 -> floors 3, 0, +1 to layer 0.
    const row = [0, 4, 0, 3, 0, 2, 1, 0, 0, 0];
    const input = scoreInput(1, 1, 10, [[row], [row]]);
    const r = selectKept('pyramidkv', input, 4, k1);
    expect(r.budgets).toEqual([6, 2]);
    expect(plain(r.layers[0])).toEqual([[1, 3, 5, 6, 8, 9]]);
    expect(plain(r.layers[1])).toEqual([[8, 9]]);
  });
});

describe('selectKept: budget at least the prompt', () => {
  it('keeps every position for every method', () => {
    const rows = [[1, 2, 3, 4, 5, 6]];
    const input = scoreInput(1, 1, 6, [rows, rows], [rows, rows]);
    for (const method of KV_METHODS) {
      for (const budget of [6, 50]) {
        const r = selectKept(method, input, budget, { window: 2, minBudget: 1 });
        for (const l of r.layers) expect(plain(l)).toEqual([0, 1, 2, 3, 4, 5]);
      }
    }
  });

  it('rejects a non-integer or zero budget', () => {
    const input = scoreInput(1, 1, 6, [[[1]]]);
    expect(() => selectKept('snapkv', input, 0)).toThrow(KvLensError);
    expect(() => selectKept('snapkv', input, 2.5)).toThrow(/integer/);
  });
});
