/**
 * Running headers and footers: lines repeated at the top or bottom of most pages ("Annual
 * Report 2024 - Page 7 of 40", a lone page number). They are page furniture, not content: left
 * in, they cut sentences in two at every page break and put a page number in front of the
 * model at every page, where the question's retrieval heads take it for a value.
 */
import type { PageInput } from '../../../app/documents/document';

/** Lines at each edge of a page that may be furniture (a header and a page number, say). */
const EDGE_LINES = 2;
/** A line is running when it repeats on at least this share of the pages with text... */
const MIN_SHARE = 0.4;
/** ...and on at least this many pages. */
const MIN_PAGES = 3;
/** Longer lines are body text even when they repeat. */
const MAX_LENGTH = 160;
/** Lines set larger than this times the page's median glyph height are headings, not furniture. */
const MAX_HEIGHT_RATIO = 1.05;

export interface RunningLine {
  /** The line as it reads on the first page it was removed from. */
  example: string;
  /** 1-based pages it was removed from. */
  pages: number[];
}

export interface RunningLinesResult {
  pages: PageInput[];
  removed: RunningLine[];
}

interface Line {
  start: number;
  end: number;
  /** The line with digit runs masked, case and spacing ignored. */
  key: string;
  /** The line with case and spacing ignored. */
  exact: string;
  /** The line's digit runs as numbers. */
  numbers: number[];
  fits: boolean;
}

/**
 * Removes running headers and footers from the pages, with their boxes.
 *
 * A candidate is the outermost line at the top or bottom of a page, or the next line in when
 * the outermost one was removed (a header over a page number), and never set larger than the
 * page's body text (that is a heading). Two candidates match when they are equal once digit runs
 * are masked and case and spacing ignored, so the page number may change. A match at the same
 * edge on MIN_SHARE of the pages with text (and at least MIN_PAGES) whose numbers are the same
 * or follow the page numbers (repeatsAsFurniture) is removed from those pages,
 * with the line break before it (or after it, at the top of a page). Lines elsewhere on a page
 * are never touched.
 */
export function removeRunningLines(pages: readonly PageInput[]): RunningLinesResult {
  const withText = pages.filter((p) => /\S/.test(p.text)).length;
  const need = Math.max(MIN_PAGES, Math.ceil(withText * MIN_SHARE));
  const lines = pages.map(pageLines);
  const drop: Line[][] = pages.map(() => []);
  for (const edge of ['top', 'bottom'] as const) {
    let open = pages.map(() => true); // the lines outside this depth were all removed
    for (let depth = 0; depth < EDGE_LINES; depth++) {
      const candidates = lines.map((ls, i) => {
        const line = open[i] ? ls[edge === 'top' ? depth : ls.length - 1 - depth] : undefined;
        return line?.fits ? line : undefined;
      });
      const groups = new Map<string, { page: number; line: Line }[]>();
      candidates.forEach((line, page) => {
        if (line) groups.set(line.key, [...(groups.get(line.key) ?? []), { page, line }]);
      });
      const running = new Set(
        [...groups].filter(([, g]) => g.length >= need && repeatsAsFurniture(g)).map(([k]) => k),
      );
      open = candidates.map((l, i) => {
        const hit = l !== undefined && running.has(l.key);
        if (hit) drop[i]!.push(l);
        return hit;
      });
    }
  }
  const removed = new Map<string, RunningLine>();
  const out = pages.map((page, i) => {
    if (drop[i]!.length === 0) return page;
    for (const l of drop[i]!) {
      const entry = removed.get(l.key) ?? {
        example: page.text.slice(l.start, l.end).trim(),
        pages: [],
      };
      if (!entry.pages.includes(i + 1)) entry.pages.push(i + 1);
      removed.set(l.key, entry);
    }
    return cut(page, drop[i]!);
  });
  return { pages: out, removed: [...removed.values()] };
}

/**
 * The page's non-empty lines; those within EDGE_LINES of either edge (the only ones that can be
 * candidates) are described, keyed by their masked text and `fits` when one may be furniture,
 * the rest are null.
 */
function pageLines(page: PageInput): (Line | null)[] {
  const { text, boxes } = page;
  const spans: [number, number][] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    if (/\S/.test(part)) spans.push([start, start + part.length]);
    start += part.length + 1;
  }
  const body = boxes ? medianHeight(boxes, 0, text.length) : 0;
  return spans.map(([start, end], i) => {
    if (i >= EDGE_LINES && i < spans.length - EDGE_LINES) return null;
    const exact = text.slice(start, end).trim().replace(/\s+/g, ' ').toLowerCase();
    const key = exact.replace(/\d+/g, '#');
    const numbers = (exact.match(/\d+/g) ?? []).map(Number);
    const small = !boxes || medianHeight(boxes, start, end) <= body * MAX_HEIGHT_RATIO;
    return { start, end, key, exact, numbers, fits: key.length <= MAX_LENGTH && small };
  });
}

/** Median glyph height of text[from, to) (inserted characters have none), 0 when there is none. */
function medianHeight(boxes: Float32Array, from: number, to: number): number {
  const h: number[] = [];
  for (let i = from; i < to; i++) if (boxes[i * 4 + 3]! > 0) h.push(boxes[i * 4 + 3]!);
  h.sort((a, b) => a - b);
  return h.length ? h[h.length >> 1]! : 0;
}

/**
 * Whether lines that match once their digits are masked repeat the way page furniture does: the
 * same words on every page, or a number that goes up with the page (a page number, counted from
 * any start). Templated content (a log line, a table row: "Station 5 recorded 137 cm") matches
 * too, but its numbers do not follow the pages.
 */
function repeatsAsFurniture(group: readonly { page: number; line: Line }[]): boolean {
  if (group.every((g) => g.line.exact === group[0]!.line.exact)) return true;
  let offsets = new Set(group[0]!.line.numbers.map((n) => n - group[0]!.page));
  for (const { page, line } of group.slice(1)) {
    const here = new Set(line.numbers.map((n) => n - page));
    offsets = new Set([...offsets].filter((o) => here.has(o)));
  }
  return offsets.size > 0;
}

/** The page without the given lines, each with the line break before it; what is left of the
 * page starts and ends with text, not a line break. */
function cut(page: PageInput, lines: readonly Line[]): PageInput {
  const { text } = page;
  const keep = new Uint8Array(text.length).fill(1);
  for (const l of lines) {
    let a = l.start;
    while (a > 0 && /\s/.test(text[a - 1]!)) a--;
    keep.fill(0, a, l.end);
  }
  const blank = (i: number) => !keep[i] || /\s/.test(text[i]!);
  for (let i = 0; i < text.length && blank(i); i++) keep[i] = 0;
  for (let i = text.length - 1; i >= 0 && blank(i); i--) keep[i] = 0;
  let kept = '';
  const boxes = page.boxes ? new Float32Array(keep.reduce((n, k) => n + k, 0) * 4) : null;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    if (!keep[i]) continue;
    kept += text[i];
    if (boxes) boxes.set(page.boxes!.subarray(i * 4, i * 4 + 4), j * 4);
    j++;
  }
  return { ...page, text: kept, boxes };
}
