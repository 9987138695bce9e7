/**
 * Retention on a rendered PDF page: runs of neighbouring document tokens kept by the same number
 * of layers become rectangles over their characters' boxes (spanRects), one per line they touch.
 */
import { spanRects, type PageRect } from '../../app/documents/char-boxes';
import type { IngestedDocument } from '../../app/documents/document';
import type { TokenLayout } from '../../app/ipc/retention-view';
import type { PageLayout } from '../../app/ipc/views';

/** Rectangles (PDF units, top-left origin) of one run of tokens kept by `count` layers. */
export interface PageTintRun {
  count: number;
  rects: PageRect[];
}

/**
 * The tinted runs on one page. `counts[p]` is how many layers kept prompt position p; document
 * token t sits at position layout.docTokenStart + t and covers text[spans[2t], spans[2t+1]).
 */
export function pageTintRuns(
  page: PageLayout,
  text: string,
  layout: TokenLayout,
  counts: Uint8Array,
): PageTintRun[] {
  if (!page.boxes) return [];
  const pageEnd = page.start + page.textLength;
  // The page alone, as a one-page document, so spanRects reads only this page's boxes.
  const doc: IngestedDocument = {
    name: '',
    kind: 'pdf',
    text,
    pageStarts: Int32Array.of(page.start),
    warnings: [],
    pages: [
      {
        number: page.page + 1,
        start: page.start,
        text: text.slice(page.start, pageEnd),
        width: page.width,
        height: page.height,
        rotation: 0,
        boxes: page.boxes,
        vertical: page.vertical,
      },
    ],
  };
  const spans = layout.spans;
  const tokens = spans.length >> 1;
  const runs: PageTintRun[] = [];
  let runCount = 0;
  let runStart = 0;
  let runEnd = 0;
  const flush = () => {
    if (runCount > 0 && runEnd > runStart) {
      runs.push({ count: runCount, rects: spanRects(doc, runStart, runEnd) });
    }
  };
  for (let t = firstTokenEndingAfter(spans, page.start); t < tokens; t++) {
    const start = spans[2 * t]!;
    if (start >= pageEnd) break;
    const end = Math.min(pageEnd, spans[2 * t + 1]!);
    const count = counts[layout.docTokenStart + t] ?? 0;
    if (count !== runCount) {
      flush();
      runCount = count;
      runStart = Math.max(page.start, start);
    }
    runEnd = end;
  }
  flush();
  return runs;
}

/** Paints the runs at `scale` pixels per PDF unit; returns the number of rectangles. */
export function drawPageTints(
  ctx: Pick<CanvasRenderingContext2D, 'fillRect'> & { fillStyle: unknown },
  runs: readonly PageTintRun[],
  palette: readonly (string | null)[],
  scale: number,
): number {
  let n = 0;
  for (const run of runs) {
    const color = palette[Math.min(run.count, palette.length - 1)] ?? null;
    if (color === null) continue;
    ctx.fillStyle = color;
    for (const r of run.rects) {
      ctx.fillRect(r.x * scale, r.y * scale, r.w * scale, r.h * scale);
      n++;
    }
  }
  return n;
}

/** Index of the first token whose span ends after `offset` (spans are in text order). */
function firstTokenEndingAfter(spans: Int32Array, offset: number): number {
  let lo = 0;
  let hi = spans.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[2 * mid + 1]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
