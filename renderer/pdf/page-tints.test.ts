import { describe, it, expect } from 'vitest';
import type { TokenLayout } from '../../app/ipc/retention-view';
import type { PageLayout } from '../../app/ipc/views';
import { drawPageTints, pageTintRuns } from './page-tints';

// Two pages joined by the page separator; page 1 ("cd ef") sits on one line, 10 units per char.
const TEXT = 'ab\n\ncd ef';
const PAGE_START = 4;
const boxes = new Float32Array(5 * 4);
for (let i = 0; i < 5; i++) boxes.set([10 * i, 100, 10, 12], 4 * i);
const page: PageLayout = {
  page: 1,
  start: PAGE_START,
  textLength: 5,
  width: 200,
  height: 300,
  boxes,
  vertical: false,
};
// Prompt: 2 template tokens, then document tokens "ab", "cd", "ef".
const layout: TokenLayout = { key: 'k', docTokenStart: 2, spans: Int32Array.of(0, 2, 4, 6, 7, 9) };

describe('pageTintRuns', () => {
  it('tints only tokens on the page, merging neighbours kept by as many layers', () => {
    const runs = pageTintRuns(page, TEXT, layout, Uint8Array.of(9, 9, 3, 2, 2));
    // "ab" is on page 0; "cd" and "ef" share count 2 and merge into one run across the space.
    expect(runs).toEqual([{ count: 2, rects: [{ page: 0, x: 0, y: 100, w: 50, h: 12 }] }]);
  });

  it('splits runs where the count changes and leaves dropped tokens untinted', () => {
    const runs = pageTintRuns(page, TEXT, layout, Uint8Array.of(0, 0, 1, 0, 4));
    expect(runs).toEqual([{ count: 4, rects: [{ page: 0, x: 30, y: 100, w: 20, h: 12 }] }]);
    const both = pageTintRuns(page, TEXT, layout, Uint8Array.of(0, 0, 0, 1, 4));
    expect(both.map((r) => [r.count, r.rects[0]!.x, r.rects[0]!.w])).toEqual([
      [1, 0, 20],
      [4, 30, 20],
    ]);
  });

  it('draws nothing for a page without boxes', () => {
    expect(
      pageTintRuns({ ...page, boxes: null }, TEXT, layout, Uint8Array.of(0, 0, 1, 1, 1)),
    ).toEqual([]);
  });
});

describe('drawPageTints', () => {
  it('fills each rectangle at the page scale with the colour for its count', () => {
    const fills: [unknown, number, number, number, number][] = [];
    const ctx = {
      fillStyle: '' as unknown,
      fillRect(x: number, y: number, w: number, h: number) {
        fills.push([this.fillStyle, x, y, w, h]);
      },
    };
    const runs = pageTintRuns(page, TEXT, layout, Uint8Array.of(0, 0, 0, 1, 4));
    const n = drawPageTints(ctx, runs, [null, 'one', 'two', 'three', 'four'], 2);
    expect(n).toBe(2);
    expect(fills).toEqual([
      ['one', 0, 200, 40, 24],
      ['four', 60, 200, 40, 24],
    ]);
  });
});
