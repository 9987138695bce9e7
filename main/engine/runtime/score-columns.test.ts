import { describe, expect, it } from 'vitest';
import { toCacheColumns } from './score-columns';

describe('toCacheColumns', () => {
  it('drops the spare-slot columns of every head and keeps past then new columns', () => {
    // H = 2, C = 4, len = 2, S = 1: columns [p0 p1 spare spare n0] per head.
    const scores = Float32Array.from([1, 2, 0, 0, 3, 10, 20, 0, 0, 30]);
    expect(Array.from(toCacheColumns(scores, 2, 4, 2, 1))).toEqual([1, 2, 3, 10, 20, 30]);
  });

  it('handles an empty past (C = 0, len = 0) and spare slots without a valid entry', () => {
    const none = Float32Array.from([0.5, 0.5, 1, 1]);
    expect(toCacheColumns(none, 2, 0, 0, 2)).toBe(none);
    const spareOnly = Float32Array.from([0, 0, 0, 2, 0, 0, 0, 4]);
    expect(Array.from(toCacheColumns(spareOnly, 2, 3, 0, 1))).toEqual([2, 4]);
  });

  it('returns exact-size scores as they are and rejects a wrong shape', () => {
    const exact = Float32Array.from([1, 2, 3]);
    expect(toCacheColumns(exact, 1, 2, 2, 1)).toBe(exact);
    expect(() => toCacheColumns(exact, 1, 3, 2, 1)).toThrow(/want 1x4/);
  });
});
