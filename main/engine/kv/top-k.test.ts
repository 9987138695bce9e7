import { describe, expect, it } from 'vitest';
import { topKPositions } from './top-k';

describe('topKPositions', () => {
  it('breaks ties toward the lower position and returns positions ascending', () => {
    const s = [0.5, 0.9, 0.5, 0.1, 0.9, 0.5];
    expect(Array.from(topKPositions(s, 6, 3))).toEqual([0, 1, 4]);
    expect(Array.from(topKPositions(s, 6, 4))).toEqual([0, 1, 2, 4]);
    expect(Array.from(topKPositions(s, 6, 2))).toEqual([1, 4]);
  });

  it('handles k <= 0, k >= n, all-equal scores and NaN', () => {
    expect(Array.from(topKPositions([1, 2], 2, 0))).toEqual([]);
    expect(Array.from(topKPositions([1, 2], 2, 5))).toEqual([0, 1]);
    expect(Array.from(topKPositions(new Float32Array(10), 10, 3))).toEqual([0, 1, 2]);
    expect(Array.from(topKPositions([NaN, 0, 1], 3, 2))).toEqual([1, 2]);
  });

  it('only looks at the first n scores', () => {
    expect(Array.from(topKPositions([1, 0, 0, 9, 9], 3, 1))).toEqual([0]);
  });

  it('agrees with a full sort on random inputs with many ties', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 300);
      const k = Math.floor(rand() * (n + 2));
      const s = Array.from({ length: n }, () => Math.floor(rand() * 8) / 8);
      const expected = s
        .map((v, i) => ({ v, i }))
        .sort((a, b) => b.v - a.v || a.i - b.i)
        .slice(0, k)
        .map((x) => x.i)
        .sort((a, b) => a - b);
      expect(Array.from(topKPositions(s, n, k))).toEqual(expected);
    }
  });
});
