/**
 * One page's text in reading order with a box per character, from pdf.js text content.
 */
import { relativeCharWidth } from './char-width';
import { PageTextBuilder } from './page-text-builder';
import { orderLines } from './reading-order';
import { seamBetween } from './run-seams';
import {
  frameToPage,
  groupRuns,
  type PdfFontStyle,
  type PdfTextItem,
  type TextRun,
} from './text-run';

export interface PageLayout {
  text: string;
  /** x, y, w, h per UTF-16 unit of text, displayed-page coordinates (top-left origin). */
  boxes: Float32Array;
  /** Words rebuilt from a line-end hyphen ("exam-" / "ple" -> "example"). */
  joinedWords: string[];
  /** Ligature and presentation-form characters expanded by NFKC. */
  ligatures: number;
  /** The main text runs top to bottom on the displayed page. */
  vertical: boolean;
}

/**
 * Lays out a page: groups runs by direction, orders them, and emits text with boxes.
 *
 * `viewport` is pdf.js's viewport transform at scale 1 with the page's rotation.
 */
export function layoutPage(
  items: readonly PdfTextItem[],
  styles: Readonly<Record<string, PdfFontStyle | undefined>>,
  viewport: readonly number[],
): PageLayout {
  const builder = new PageTextBuilder();
  let vertical = false;
  groupRuns(items, styles).forEach((group, g) => {
    const m = frameToPage(group.angle, viewport);
    // m[0], m[1]: where the baseline direction points on the displayed page.
    if (g === 0) vertical = Math.abs(m[1]!) > Math.abs(m[0]!);
    orderLines(group.runs).forEach((line, li) => {
      if (li > 0 && line.breakBefore !== 'none')
        builder.newLine(line.breakBefore, line.runs[0]!.str);
      else if (g > 0) builder.newLine('paragraph', line.runs[0]!.str);
      line.runs.forEach((run, ri) => {
        const prev = line.runs[ri - 1];
        const seam = prev ? seamBetween(prev, run) : 'none';
        if (seam === 'column') builder.columnGap();
        else if (seam === 'space') builder.space();
        emitRun(builder, run, m);
      });
    });
  });
  const { text, boxes } = builder.finish();
  return { text, boxes, joinedWords: builder.joinedWords, ligatures: builder.ligatures, vertical };
}

function emitRun(builder: PageTextBuilder, run: TextRun, m: readonly number[]): void {
  const chars = [...run.str];
  const weights = chars.map((c) => relativeCharWidth(c.codePointAt(0)!));
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  const scale = run.width / total;
  const v0 = run.v + run.descent * run.size;
  const v1 = run.v + run.ascent * run.size;
  let acc = 0;
  chars.forEach((ch, i) => {
    const w = weights[i]! * scale;
    // Right-to-left runs hold logical order, so their first character is drawn rightmost.
    const a = run.rtl ? run.u + run.width - acc - w : run.u + acc;
    acc += w;
    const box = mapBox(m, a, v0, a + w, v1);
    builder.char(ch, box[0], box[1], box[2], box[3]);
  });
}

// Axis-aligned box on the page around a rectangle of the text frame.
function mapBox(
  m: readonly number[],
  u0: number,
  v0: number,
  u1: number,
  v1: number,
): [number, number, number, number] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [u, v] of [
    [u0, v0],
    [u1, v0],
    [u0, v1],
    [u1, v1],
  ] as const) {
    const x = a * u + c * v + e;
    const y = b * u + d * v + f;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}
