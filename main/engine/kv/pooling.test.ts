import { describe, expect, it } from 'vitest';
import { poolPrefix } from './pooling';

describe('poolPrefix', () => {
  it('average pooling divides by the kernel also at the edges', () => {
    const out = poolPrefix([1, 1, 1, 1, 1, 1], 0, 6, 5, 'avg');
    expect(Array.from(out)).toEqual([3 / 5, 4 / 5, 1, 1, 4 / 5, 3 / 5]);
  });

  it('never reads the window columns past the prefix', () => {
    // Prefix = first 7 columns; the two window columns hold 100 and must act as zero padding.
    const src = [5, 0, 0, 0, 0, 0, 10, 100, 100];
    expect(Array.from(poolPrefix(src, 0, 7, 5, 'avg'))).toEqual([1, 1, 1, 0, 2, 2, 2]);
    expect(Array.from(poolPrefix(src, 0, 7, 5, 'max'))).toEqual([5, 5, 5, 0, 10, 10, 10]);
  });

  it('reads a row at an offset (one head of an [H, T] array)', () => {
    const rows = [9, 9, 9, 0, 3, 0, 6];
    expect(Array.from(poolPrefix(rows, 3, 3, 3, 'avg'))).toEqual([1, 1, 1]);
    expect(Array.from(poolPrefix(rows, 3, 4, 1, 'avg'))).toEqual([0, 3, 0, 6]);
  });
});
