/**
 * Reading order of the runs of one page: rows, columns, then lines with line/paragraph breaks.
 *
 * Columns are found from x positions: a gutter is a vertical band, at least ~1 em wide, that
 * (almost) no row's text crosses, with prose-width text on both sides. Rows that do cross it
 * (titles, footers) split the page into bands; each band is read column by column.
 */
import { continuesAfterWrap, type Flow } from './line-wrap';
import type { TextRun } from './text-run';

/** 'wrap': the line continues the previous one's text (the typesetter wrapped it). */
export type LineBreak = 'none' | 'wrap' | 'line' | 'paragraph';

export interface OrderedLine {
  /** Runs in reading order (right to left for mostly right-to-left lines). */
  runs: TextRun[];
  /** Break before this line: 'none' for the first line. */
  breakBefore: LineBreak;
}

interface Row {
  v: number;
  runs: TextRun[];
}

interface Placed {
  runs: TextRun[];
  v: number;
  size: number;
  band: number;
  col: number;
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

/** Orders runs (one baseline direction) into lines. */
export function orderLines(runs: readonly TextRun[]): OrderedLine[] {
  if (runs.length === 0) return [];
  const rows = clusterRows(runs);
  const size = median(runs.map((r) => r.size));
  const gutters = findGutters(rows, size);
  const placed = placeRows(rows, gutters);
  return assignBreaks(placed, size);
}

function clusterRows(runs: readonly TextRun[]): Row[] {
  const sorted = [...runs].sort((a, b) => b.v - a.v || a.u - b.u);
  const rows: Row[] = [];
  for (const run of sorted) {
    const last = rows[rows.length - 1];
    const tol = 0.5 * Math.min(run.size, last?.runs[0]?.size ?? run.size);
    if (last && Math.abs(last.v - run.v) <= tol) last.runs.push(run);
    else rows.push({ v: run.v, runs: [run] });
  }
  return rows;
}

type Gutter = [start: number, end: number];

function findGutters(rows: Row[], size: number): Gutter[] {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const row of rows)
    for (const r of row.runs) {
      x0 = Math.min(x0, r.u);
      x1 = Math.max(x1, r.u + r.width);
    }
  const bin = Math.max(1, (x1 - x0) / 4000);
  const n = Math.floor((x1 - x0) / bin) + 1;
  const cover = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  rows.forEach((row, id) => {
    for (const r of row.runs) {
      const a = Math.floor((r.u - x0) / bin);
      const b = Math.min(n - 1, Math.floor((r.u + r.width - x0) / bin));
      for (let i = a; i <= b; i++) {
        if (stamp[i] !== id) {
          stamp[i] = id;
          cover[i]!++;
        }
      }
    }
  });
  // Some rows may cross a gutter (titles, running heads, footers); columnsLookLikeProse keeps
  // this tolerance from splitting ordinary single-column text.
  const allowance = Math.max(2, Math.floor(rows.length * 0.2));
  const candidates: Gutter[] = [];
  for (let i = 0; i < n;) {
    if (cover[i]! > allowance) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && cover[j]! <= allowance) j++;
    // Prefer the emptiest stretch, so a row that merely pokes into the gap is not "spanning".
    const [a, b] = emptiestStretch(cover, i, j, Math.ceil((0.8 * size) / bin));
    if (i > 0 && j < n && (j - i) * bin >= 0.8 * size)
      candidates.push([x0 + a * bin, x0 + b * bin]);
    i = j;
  }
  const accepted: Gutter[] = [];
  for (const g of candidates.sort((a, b) => b[1] - b[0] - (a[1] - a[0]))) {
    const trial = [...accepted, g].sort((a, b) => a[0] - b[0]);
    if (columnsLookLikeProse(rows, trial, size)) accepted.splice(0, accepted.length, ...trial);
  }
  return accepted;
}

// The longest run in [i, j) at the lowest coverage there, if at least minBins long; else [i, j).
function emptiestStretch(cover: Int32Array, i: number, j: number, minBins: number): Gutter {
  let low = Infinity;
  for (let k = i; k < j; k++) low = Math.min(low, cover[k]!);
  let best: Gutter = [i, j];
  let bestLen = 0;
  for (let k = i; k < j;) {
    if (cover[k] !== low) {
      k++;
      continue;
    }
    let e = k;
    while (e < j && cover[e] === low) e++;
    if (e - k > bestLen) {
      bestLen = e - k;
      best = [k, e];
    }
    k = e;
  }
  return bestLen >= minBins ? best : [i, j];
}

const crosses = (r: TextRun, g: Gutter): boolean => r.u < g[1] && r.u + r.width > g[0];
const columnOf = (r: TextRun, gutters: Gutter[]): number => {
  const mid = r.u + r.width / 2;
  let c = 0;
  while (c < gutters.length && mid > gutters[c]![0]) c++;
  return c;
};

// Real text columns hold several lines of prose each; tables of short cells do not count.
function columnsLookLikeProse(rows: Row[], gutters: Gutter[], size: number): boolean {
  const widths: number[][] = gutters.map(() => []).concat([[]]);
  for (const row of rows) {
    if (row.runs.some((r) => gutters.some((g) => crosses(r, g)))) continue;
    const extent = new Map<number, [number, number]>();
    for (const r of row.runs) {
      const c = columnOf(r, gutters);
      const e = extent.get(c) ?? [Infinity, -Infinity];
      extent.set(c, [Math.min(e[0], r.u), Math.max(e[1], r.u + r.width)]);
    }
    for (const [c, [a, b]] of extent) widths[c]!.push(b - a);
  }
  return widths.every((w) => w.length >= 3 && median(w) >= 5 * size);
}

function placeRows(rows: Row[], gutters: Gutter[]): Placed[] {
  const out: Placed[] = [];
  let band = 0;
  let columns: Placed[][] = [];
  const flush = (): void => {
    for (const col of columns) out.push(...col);
    columns = [];
    band++;
  };
  for (const row of rows) {
    const spanning =
      gutters.length === 0 || row.runs.some((r) => gutters.some((g) => crosses(r, g)));
    if (spanning) {
      flush();
      out.push(makeLine(row.runs, band, -1));
      band++;
      continue;
    }
    const parts = new Map<number, TextRun[]>();
    for (const r of row.runs) {
      const c = columnOf(r, gutters);
      parts.set(c, [...(parts.get(c) ?? []), r]);
    }
    for (const [c, runs] of parts) {
      while (columns.length <= c) columns.push([]);
      columns[c]!.push(makeLine(runs, band, c));
    }
  }
  flush();
  return out;
}

function makeLine(runs: TextRun[], band: number, col: number): Placed {
  let rtl = 0;
  let ltr = 0;
  for (const r of runs) {
    if (r.rtl) rtl += r.str.length;
    else ltr += r.str.length;
  }
  const sorted = [...runs].sort((a, b) => (rtl > ltr ? b.u - a.u : a.u - b.u));
  const v = Math.min(...runs.map((r) => r.v));
  return { runs: sorted, v, size: median(runs.map((r) => r.size)), band, col };
}

function assignBreaks(placed: Placed[], size: number): OrderedLine[] {
  const steps: number[] = [];
  for (let i = 1; i < placed.length; i++) {
    const a = placed[i - 1]!;
    const b = placed[i]!;
    const step = a.v - b.v;
    const sameFlow = a.col === b.col && (a.band === b.band || a.col === -1);
    if (sameFlow && step > 0 && step < 2.5 * a.size) steps.push(step);
  }
  // Cap the step so that pages where every line is a paragraph still show paragraph breaks.
  const lineStep = Math.min(steps.length > 0 ? median(steps) : 1.2 * size, 1.5 * size);
  const flows = flowsByColumn(placed);
  return placed.map((line, i) => {
    const prev = placed[i - 1];
    if (!prev) return { runs: line.runs, breakBefore: 'none' };
    const nextColumn = prev.band === line.band && line.col === prev.col + 1;
    const step = prev.v - line.v;
    const paragraph = !nextColumn && (step > 1.4 * lineStep || step < -0.5 * line.size);
    if (paragraph) return { runs: line.runs, breakBefore: 'paragraph' };
    const sameFlow = line.col === prev.col && step > 0;
    const wrap = sameFlow && continuesAfterWrap(prev.runs, line.runs, flows.get(line.col)!);
    return { runs: line.runs, breakBefore: wrap ? 'wrap' : 'line' };
  });
}

// The text area of each column (-1: lines that span the page or a page without columns).
function flowsByColumn(placed: Placed[]): Map<number, Flow> {
  const flows = new Map<number, Flow>();
  for (const line of placed) {
    const f = flows.get(line.col) ?? { start: Infinity, end: -Infinity };
    for (const r of line.runs) {
      f.start = Math.min(f.start, r.u);
      f.end = Math.max(f.end, r.u + r.width);
    }
    flows.set(line.col, f);
  }
  return flows;
}
