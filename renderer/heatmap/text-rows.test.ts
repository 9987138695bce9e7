import { describe, it, expect } from 'vitest';
import { computeRows, rowOfChar } from './text-rows';
import { charTokenIndex, charOfPosition, nearestCharOfPosition } from './char-tokens';
import { tintColor, tintPalette } from './tint';

const rowsOf = (text: string, cols: number) => {
  const r = computeRows(text, cols);
  return Array.from(r.starts, (s, i) => text.slice(s, r.ends[i]));
};

describe('display rows', () => {
  it('wraps at spaces, cuts long words, keeps empty lines', () => {
    expect(rowsOf('the quick brown fox', 10)).toEqual(['the quick ', 'brown fox']);
    expect(rowsOf('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(rowsOf('a\n\nb', 5)).toEqual(['a', '', 'b']);
    expect(rowsOf('', 5)).toEqual(['']);
  });

  it('covers every non-newline character exactly once, in order, on a large text', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'word '.repeat(i % 37)}`).join(
      '\n',
    );
    const r = computeRows(text, 40);
    let covered = 0;
    for (let i = 0; i < r.count; i++) {
      expect(r.ends[i]! - r.starts[i]!).toBeLessThanOrEqual(40);
      if (i > 0) expect(r.starts[i]!).toBeGreaterThanOrEqual(r.ends[i - 1]!);
      covered += r.ends[i]! - r.starts[i]!;
    }
    expect(covered).toBe(text.length - 2999);
    const offset = text.indexOf('line 1500');
    expect(text.slice(r.starts[rowOfChar(r, offset)]!)).toMatch(/^line 1500/);
  });
});

describe('char to token mapping', () => {
  const layout = { key: 'k', docTokenStart: 3, spans: new Int32Array([0, 2, 2, 5, 6, 9]) };
  it('maps chars to tokens and positions to chars', () => {
    expect(Array.from(charTokenIndex(layout, 10))).toEqual([0, 0, 1, 1, 1, -1, 2, 2, 2, -1]);
    expect(charOfPosition(layout, 4)).toBe(2);
    expect(charOfPosition(layout, 1)).toBe(-1);
    expect(nearestCharOfPosition(layout, 1)).toBe(0);
    expect(nearestCharOfPosition(layout, 99)).toBe(6);
  });
});

describe('tints', () => {
  it('leaves evicted tokens untinted and strengthens with more layers', () => {
    expect(tintColor(0, 4)).toBeNull();
    const alpha = (c: string | null) => Number(/([\d.]+)\)$/.exec(c ?? '')?.[1]);
    expect(alpha(tintColor(4, 4))).toBeGreaterThan(alpha(tintColor(1, 4)));
    expect(tintPalette(3)).toHaveLength(4);
  });
});
