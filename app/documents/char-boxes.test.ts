import { describe, it, expect } from 'vitest';
import { spanRects } from './char-boxes';
import { createDocument } from './document';

// Page 1: "ab\ncd" with a and b on one line, an inserted newline, c and d on the next line.
const boxes = Float32Array.from([
  ...[10, 10, 5, 10],
  ...[15, 10, 5, 10],
  ...[20, 10, 0, 0],
  ...[10, 30, 5, 10],
  ...[15, 30, 6, 10],
]);
const doc = createDocument('a.pdf', 'pdf', [
  { text: 'ab\ncd', boxes, width: 100, height: 100, rotation: 0 },
  {
    text: 'ef',
    boxes: Float32Array.from([1, 2, 3, 4, 4, 2, 3, 4]),
    width: 100,
    height: 100,
    rotation: 0,
  },
]);

describe('spanRects', () => {
  it('merges characters per line and skips inserted characters', () => {
    expect(spanRects(doc, 0, 5)).toEqual([
      { page: 0, x: 10, y: 10, w: 10, h: 10 },
      { page: 0, x: 10, y: 30, w: 11, h: 10 },
    ]);
  });

  it('follows a span across a page break', () => {
    const rects = spanRects(doc, 4, doc.text.length);
    expect(rects.map((r) => r.page)).toEqual([0, 1]);
    expect(rects[1]).toEqual({ page: 1, x: 1, y: 2, w: 6, h: 4 });
  });

  it('returns nothing for documents without layout', () => {
    const text = createDocument('a.txt', 'text', [
      { text: 'abc', boxes: null, width: 0, height: 0, rotation: 0 },
    ]);
    expect(spanRects(text, 0, 3)).toEqual([]);
  });

  it('merges down the page when the page text runs vertically', () => {
    const vertical = createDocument('v.pdf', 'pdf', [
      {
        text: 'ab',
        boxes: Float32Array.from([300, 50, 14, 8, 300, 58, 14, 7]),
        width: 400,
        height: 600,
        rotation: 90,
        vertical: true,
      },
    ]);
    expect(spanRects(vertical, 0, 2)).toEqual([{ page: 0, x: 300, y: 50, w: 14, h: 15 }]);
  });
});
