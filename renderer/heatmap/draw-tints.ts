/**
 * Paints the tint behind the visible rows of the reading panel: one rectangle per run of
 * characters whose token was kept by the same number of layers.
 */
import type { TextRows } from './text-rows';

export interface TintFrame {
  rows: TextRows;
  /** First and last (exclusive) row to paint. */
  firstRow: number;
  lastRow: number;
  /** Canvas y of firstRow's top. */
  top: number;
  lineHeight: number;
  charWidth: number;
  paddingLeft: number;
  /** Char -> document token index (-1 for none). */
  charToken: Int32Array;
  /** Per prompt position: layers that kept it; document token t is position docTokenStart + t. */
  counts: Uint8Array;
  docTokenStart: number;
  palette: (string | null)[];
}

type Painter = Pick<CanvasRenderingContext2D, 'fillRect'> & { fillStyle: unknown };

/** Draws one frame of tints; returns the number of rectangles painted (for tests/figures). */
export function drawTints(ctx: Painter, f: TintFrame): number {
  let rects = 0;
  for (let r = f.firstRow; r < f.lastRow && r < f.rows.count; r++) {
    const start = f.rows.starts[r]!;
    const end = f.rows.ends[r]!;
    const y = f.top + (r - f.firstRow) * f.lineHeight;
    let runStart = start;
    let runColor: string | null = null;
    const flush = (until: number) => {
      if (runColor !== null && until > runStart) {
        ctx.fillStyle = runColor;
        ctx.fillRect(
          f.paddingLeft + (runStart - start) * f.charWidth,
          y,
          (until - runStart) * f.charWidth,
          f.lineHeight,
        );
        rects++;
      }
    };
    for (let c = start; c < end; c++) {
      const t = f.charToken[c] ?? -1;
      const count = t >= 0 ? (f.counts[f.docTokenStart + t] ?? 0) : 0;
      const color = f.palette[count] ?? null;
      if (color !== runColor) {
        flush(c);
        runStart = c;
        runColor = color;
      }
    }
    flush(end);
  }
  return rects;
}
