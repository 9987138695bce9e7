import { describe, expect, it } from 'vitest';
import { RankedScores } from './ranked-scores';

/** A seeded linear congruential generator in [0, 1): random inputs that repeat run to run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('RankedScores', () => {
  it('gives the same answers on the first (quickselect) and later (sorted) queries', () => {
    const r = new RankedScores(Float64Array.from([0.5, 0.9, 0.5, 0.1, 0.9, 0.5, 0]));
    const asked = [3, 4, 3, 1, 2, 6, 7, 0, 5];
    const want = [[0, 1, 4], [0, 1, 2, 4], [0, 1, 4], [1], [1, 4], [0, 1, 2, 3, 4, 5]];
    want.push([0, 1, 2, 3, 4, 5, 6], [], [0, 1, 2, 4, 5]);
    asked.forEach((k, i) => expect(Array.from(r.top(k))).toEqual(want[i]));
  });

  it('matches a full sort on random inputs across repeated queries', () => {
    const rand = lcg(99);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rand() * 200);
      const s = Float64Array.from({ length: n }, () => Math.floor(rand() * 6) / 6);
      const r = new RankedScores(s);
      for (let q = 0; q < 4; q++) {
        const k = Math.floor(rand() * (n + 1));
        const expected = Array.from(s, (v, i) => ({ v, i }))
          .sort((a, b) => b.v - a.v || a.i - b.i)
          .slice(0, k)
          .map((x) => x.i)
          .sort((a, b) => a - b);
        expect(Array.from(r.top(k))).toEqual(expected);
      }
    }
  });

  it('topBelow ranks only the positions before the limit, between top queries', () => {
    const rand = lcg(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rand() * 120);
      const s = Float64Array.from({ length: n }, () => Math.floor(rand() * 5) / 5);
      const r = new RankedScores(s);
      for (let q = 0; q < 4; q++) {
        const limit = Math.floor(rand() * (n + 2));
        const k = Math.floor(rand() * (Math.min(limit, n) + 1));
        const expected = Array.from(s, (v, i) => ({ v, i }))
          .filter((x) => x.i < limit)
          .sort((a, b) => b.v - a.v || a.i - b.i)
          .slice(0, k)
          .map((x) => x.i)
          .sort((a, b) => a - b);
        expect(Array.from(r.topBelow(limit, k))).toEqual(expected);
        r.top(Math.floor(rand() * (n + 1)));
      }
    }
  });
});
