/**
 * Boxes on the page for a character span, for drawing highlights over a rendered PDF page.
 */
import { pageIndexAt, type IngestedDocument } from './document';

/** A rectangle on one page, in the page's display coordinates (see PageInput.boxes). */
export interface PageRect {
  /** 0-based page index. */
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Rectangles covering the characters in [start, end) of the document's full text.
 *
 * Neighbouring characters on the same line merge into one rectangle, so a token or a sentence
 * gives one rectangle per line it touches. Inserted characters (zero-size boxes) are skipped.
 * Returns [] for documents without page layout.
 */
export function spanRects(doc: IngestedDocument, start: number, end: number): PageRect[] {
  const out: PageRect[] = [];
  const from = Math.max(0, start);
  const to = Math.min(doc.text.length, end);
  let cur: PageRect | null = null;
  for (let p = Math.max(0, pageIndexAt(doc.pageStarts, from)); p < doc.pages.length; p++) {
    const page = doc.pages[p]!;
    if (page.start >= to) break;
    const boxes = page.boxes;
    if (!boxes) continue;
    const a = Math.max(0, from - page.start);
    const b = Math.min(page.text.length, to - page.start);
    for (let i = a; i < b; i++) {
      const x = boxes[4 * i]!;
      const y = boxes[4 * i + 1]!;
      const w = boxes[4 * i + 2]!;
      const h = boxes[4 * i + 3]!;
      if (w <= 0 || h <= 0) continue;
      const lineMates = page.vertical
        ? overlaps(cur?.x, cur?.w, x, w)
        : overlaps(cur?.y, cur?.h, y, h);
      if (cur && cur.page === p && lineMates) {
        const right = Math.max(cur.x + cur.w, x + w);
        const bottom = Math.max(cur.y + cur.h, y + h);
        cur.x = Math.min(cur.x, x);
        cur.y = Math.min(cur.y, y);
        cur.w = right - cur.x;
        cur.h = bottom - cur.y;
      } else {
        cur = { page: p, x, y, w, h };
        out.push(cur);
      }
    }
  }
  return out;
}

// Two boxes are on one line when their extents across the line direction overlap by more than
// half the smaller one.
function overlaps(a: number | undefined, al: number | undefined, b: number, bl: number): boolean {
  if (a === undefined || al === undefined) return false;
  const overlap = Math.min(a + al, b + bl) - Math.max(a, b);
  return overlap > 0.5 * Math.min(al, bl);
}
