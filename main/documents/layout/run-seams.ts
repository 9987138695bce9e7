/**
 * What separates two runs drawn on one line: nothing, a word space, or a column gap.
 */
import type { TextRun } from './text-run';

/**
 * Gaps wider than this many font sizes separate columns (table cells, a label and its value), not
 * words: a word space is about a quarter of the font size, and justified lines rarely stretch one
 * past an em.
 */
const COLUMN_GAP_EMS = 1.5;

export type Seam = 'column' | 'space' | 'none';

/**
 * What goes between two runs of a line. A column gap stays visible ("cell    cell"): table cells
 * drawn apart come out as one run each, and a single space hides where a cell ends ("Aviation Club
 * Helga Everly"). A smaller visible gap with no whitespace at the seam is a word boundary.
 */
export function seamBetween(a: TextRun, b: TextRun): Seam {
  const gap = b.rtl && a.rtl ? a.u - (b.u + b.width) : b.u - (a.u + a.width);
  if (gap > COLUMN_GAP_EMS * Math.max(a.size, b.size)) return 'column';
  if (/\s$/.test(a.str) || /^\s/.test(b.str)) return 'none';
  return gap > 0.15 * Math.min(a.size, b.size) ? 'space' : 'none';
}

/** Whether a line (runs in reading order) has cells drawn apart: a table row, not prose. */
export function hasColumnGap(runs: readonly TextRun[]): boolean {
  return runs.some((r, i) => i > 0 && seamBetween(runs[i - 1]!, r) === 'column');
}
