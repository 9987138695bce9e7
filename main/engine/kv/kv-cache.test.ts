import { describe, it, expect } from 'vitest';
import { KvCache } from './kv-cache';
import { KvLensError } from '../../../app/errors';
import type { KeptPositions } from '../../../app/kv/kept-positions';

const dims = { numLayers: 2, numKvHeads: 2, headDim: 3 };

/** K value that encodes (layer, head, position, dim) so gathers can be checked by eye. */
const kv = (l: number, g: number, p: number, i: number) => l * 1000 + g * 100 + p + i / 10;

/** A cache with positions 0..n-1 in every layer, filled through replaceLayer like a session does. */
function filled(n: number): KvCache {
  const c = KvCache.empty(dims);
  for (let l = 0; l < dims.numLayers; l++) {
    const k = new Float32Array(dims.numKvHeads * n * dims.headDim);
    for (let g = 0; g < dims.numKvHeads; g++)
      for (let p = 0; p < n; p++)
        for (let i = 0; i < dims.headDim; i++) k[(g * n + p) * dims.headDim + i] = kv(l, g, p, i);
    const v = k.map((x) => -x);
    c.replaceLayer(
      l,
      k,
      v,
      Array.from({ length: n }, (_, p) => p),
    );
  }
  c.nextPosition = n;
  return c;
}

const row = (c: KvCache, l: number, g: number, idx: number) => {
  const n = c.length(l);
  const start = (g * n + idx) * dims.headDim;
  return Array.from(c.keyData(l).subarray(start, start + dims.headDim));
};

describe('KvCache', () => {
  it('starts empty with zero bytes and an explicit next position', () => {
    const c = KvCache.empty(dims, 7);
    expect(c.lengths()).toEqual([0, 0]);
    expect(c.bytes()).toBe(0);
    expect(c.nextPosition).toBe(7);
  });

  it('appends presents and records their original positions', () => {
    const c = filled(4);
    expect(c.lengths()).toEqual([4, 4]);
    expect(Array.from(c.headPositions(1, 1))).toEqual([0, 1, 2, 3]);
    expect(c.bytesPerLayer()).toEqual([2 * 2 * 4 * 3 * 4, 2 * 2 * 4 * 3 * 4]);
    expect(() => c.replaceLayer(0, new Float32Array(5), new Float32Array(5), [4])).toThrow(
      /expected/,
    );
  });

  it('gathers a shared subset per layer into a new cache and leaves the source intact', () => {
    const c = filled(5);
    const g = c.gather([
      { kind: 'shared', kept: [0, 2, 4] },
      { kind: 'shared', kept: [1] },
    ]);
    expect(g.lengths()).toEqual([3, 1]);
    expect(row(g, 0, 1, 1)).toEqual(row(c, 0, 1, 2));
    expect(row(g, 1, 0, 0)).toEqual(row(c, 1, 0, 1));
    expect(Array.from(g.valueData(1))).toEqual([
      ...row(c, 1, 0, 1).map((x) => -x),
      ...row(c, 1, 1, 1).map((x) => -x),
    ]);
    expect(g.positions(0)).toEqual({ kind: 'shared', positions: Int32Array.from([0, 2, 4]) });
    expect(g.nextPosition).toBe(5);
    expect(c.lengths()).toEqual([5, 5]);
    expect(g.bytes()).toBe((3 + 1) * 2 * 2 * 3 * 4);
  });

  it('gathers per KV head, and a second gather maps original positions, not indices', () => {
    const c = filled(6);
    const g = c.gather([
      {
        kind: 'per-kv-head',
        kvHeads: [
          [1, 3, 5],
          [0, 4, 5],
        ],
      },
      { kind: 'shared', kept: [0, 1, 2, 3, 4, 5] },
    ]);
    expect(Array.from(g.headPositions(0, 1))).toEqual([0, 4, 5]);
    expect(row(g, 0, 1, 1)).toEqual(row(c, 0, 1, 4));
    expect(row(g, 0, 0, 0)).toEqual(row(c, 0, 0, 1));
    // Appending after a per-head gather gives every head the same new position.
    const n = g.length(0) + 1;
    g.replaceLayer(0, new Float32Array(2 * n * 3), new Float32Array(2 * n * 3), [6]);
    expect(Array.from(g.headPositions(0, 0))).toEqual([1, 3, 5, 6]);
    expect(Array.from(g.headPositions(0, 1))).toEqual([0, 4, 5, 6]);
    const again = c.gather([
      { kind: 'shared', kept: [5] },
      { kind: 'shared', kept: [2, 3] },
    ]);
    expect(row(again, 0, 0, 0)).toEqual(row(c, 0, 0, 5));
    const fromGathered = g.gather([
      { kind: 'per-kv-head', kvHeads: [[3], [4]] },
      { kind: 'shared', kept: [5] },
    ]);
    expect(row(fromGathered, 1, 1, 0)).toEqual(row(c, 1, 1, 5));
  });

  it("accepts the policies' KeptPositions (Int32Array lists) directly", () => {
    const c = filled(4);
    const kept: KeptPositions[] = [
      { kind: 'shared', kept: Int32Array.from([1, 3]) },
      { kind: 'per-kv-head', kvHeads: [Int32Array.from([0]), Int32Array.from([2])] },
    ];
    const g = c.gather(kept);
    expect(g.lengths()).toEqual([2, 1]);
    expect(row(g, 1, 1, 0)).toEqual(row(c, 1, 1, 2));
  });

  it('rejects unknown positions, unsorted lists and unequal head counts with a clear error', () => {
    const c = filled(3);
    const bad = (sel: Parameters<KvCache['gather']>[0]) => () => c.gather(sel);
    expect(
      bad([
        { kind: 'shared', kept: [9] },
        { kind: 'shared', kept: [] },
      ]),
    ).toThrow(/position 9 is not in the cache/);
    expect(
      bad([
        { kind: 'shared', kept: [2, 1] },
        { kind: 'shared', kept: [] },
      ]),
    ).toThrow(/strictly ascending/);
    expect(
      bad([
        { kind: 'per-kv-head', kvHeads: [[0], [0, 1]] },
        { kind: 'shared', kept: [] },
      ]),
    ).toThrow(KvLensError);
    expect(bad([{ kind: 'shared', kept: [0] }])).toThrow(/one selection per layer/);
  });

  it('clones deeply and refuses use after dispose', () => {
    const c = filled(2);
    const d = c.clone();
    c.keyData(0)[0] = 42;
    expect(d.keyData(0)[0]).toBe(kv(0, 0, 0, 0));
    c.dispose();
    expect(c.disposed).toBe(true);
    expect(() => c.bytes()).toThrow(/after dispose/);
    expect(d.lengths()).toEqual([2, 2]);
  });

  it('appends new entries into spare slots, growing once when full, and counts valid bytes', () => {
    const c = KvCache.empty(dims);
    const entries = (p: number, S: number) => {
      const k = new Float32Array(dims.numKvHeads * S * dims.headDim);
      for (let g = 0; g < dims.numKvHeads; g++)
        for (let s = 0; s < S; s++)
          for (let i = 0; i < dims.headDim; i++)
            k[(g * S + s) * dims.headDim + i] = kv(0, g, p + s, i);
      return k;
    };
    c.reserve(3);
    const storage = c.keyBuffer(0);
    expect(c.capacity(0)).toBe(3);
    expect(c.bytes()).toBe(0);
    expect(c.reservedBytes()).toBe(2 * 2 * (2 * 3 * 3 * 4));
    c.appendLayer(
      0,
      entries(0, 2),
      entries(0, 2).map((x) => -x),
      [0, 1],
    );
    c.appendLayer(
      0,
      entries(2, 1),
      entries(2, 1).map((x) => -x),
      [2],
    );
    expect(c.keyBuffer(0)).toBe(storage); // written in place
    expect(c.lengths()).toEqual([3, 0]);
    expect(c.bytesPerLayer()).toEqual([2 * 2 * 3 * 3 * 4, 0]);
    c.appendLayer(
      0,
      entries(3, 1),
      entries(3, 1).map((x) => -x),
      [3],
    );
    expect(c.keyBuffer(0)).not.toBe(storage);
    expect(c.capacity(0)).toBeGreaterThanOrEqual(4);
    // Geometric growth: the next appends fit without another copy.
    const grown = c.keyBuffer(0);
    c.appendLayer(
      0,
      entries(4, 1),
      entries(4, 1).map((x) => -x),
      [4],
    );
    expect(c.keyBuffer(0)).toBe(grown);
    // keyData is the compact [G, P, d] view whatever the capacity.
    const want = filled(5);
    expect(Array.from(c.keyData(0))).toEqual(Array.from(want.keyData(0)));
    expect(Array.from(c.valueData(0))).toEqual(Array.from(want.valueData(0)));
    expect(c.positions(0)).toEqual({ kind: 'shared', positions: Int32Array.from([0, 1, 2, 3, 4]) });
    expect(() => c.appendLayer(1, new Float32Array(5), new Float32Array(5), [0])).toThrow(
      /expected 6/,
    );
    expect(() => c.reserve(-1)).toThrow(RangeError);
  });

  it('gathers and clones with spare slots that appends then fill in place', () => {
    const c = filled(5);
    const g = c.gather(
      [
        {
          kind: 'per-kv-head',
          kvHeads: [
            [1, 3],
            [0, 4],
          ],
        },
        { kind: 'shared', kept: [2] },
      ],
      { reserve: 2 },
    );
    expect([g.capacity(0), g.capacity(1)]).toEqual([4, 3]);
    expect(g.bytes()).toBe((2 + 1) * 2 * 2 * 3 * 4);
    expect(g.reservedBytes()).toBe((4 + 3) * 2 * 2 * 3 * 4);
    expect(row(g, 0, 1, 1)).toEqual(row(c, 0, 1, 4));
    const storage = g.keyBuffer(0);
    g.appendLayer(0, new Float32Array(2 * 3).fill(7), new Float32Array(2 * 3), [5]);
    expect(g.keyBuffer(0)).toBe(storage);
    expect(Array.from(g.headPositions(0, 0))).toEqual([1, 3, 5]);
    expect(Array.from(g.headPositions(0, 1))).toEqual([0, 4, 5]);
    expect(row(g, 0, 1, 2)).toEqual([7, 7, 7]);
    expect(row(g, 0, 1, 0)).toEqual(row(c, 0, 1, 0));

    const d = g.clone({ reserve: 1 });
    expect(d.capacity(0)).toBe(4);
    expect(Array.from(d.keyData(0))).toEqual(Array.from(g.keyData(0)));
    expect(Array.from(d.headPositions(0, 1))).toEqual([0, 4, 5]);
    g.keyBuffer(0)[0] = 99;
    expect(d.keyBuffer(0)[0]).not.toBe(99);
  });
});
