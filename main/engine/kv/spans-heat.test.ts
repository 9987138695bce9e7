import { describe, expect, it } from 'vitest';
import { spansHeat } from './spans-heat';

const plain = (h: ReturnType<typeof spansHeat>): number[][] =>
  Array.from(h.start, (s, i) => [s, h.end[i]!, h.heat[i]!]);

describe('spansHeat', () => {
  it('skips tokens outside the document and clips overlaps to the earlier token', () => {
    // token 0: template (start -1); token 3 overlaps token 2 on [3, 4) and keeps [4, 5).
    const h = spansHeat([2, 2, 0, 1, 4], [-1, 0, 3, 3, 5], [-1, 3, 4, 5, 9], 4);
    expect(plain(h)).toEqual([
      [0, 3, 0.5],
      [3, 4, 0],
      [4, 5, 0.25],
      [5, 9, 1],
    ]);
  });

  it('merges touching runs of equal heat but not runs across a gap', () => {
    expect(plain(spansHeat([1, 1, 1], [0, 2, 5], [2, 4, 6], 2))).toEqual([
      [0, 4, 0.5],
      [5, 6, 0.5],
    ]);
  });

  it('clamps heat to [0, 1] and checks lengths', () => {
    expect(plain(spansHeat([5], [0], [1], 2))).toEqual([[0, 1, 1]]);
    expect(() => spansHeat([1, 2], [0], [1], 2)).toThrow(/2 values/);
  });
});
