/**
 * Telling a typesetter's line wrap from an author's line break.
 *
 * Inside a paragraph a PDF ends a line wherever the next word did not fit; the reader (and the
 * model) should see one running sentence ("Oriana Abernathy lives in Glenmere"), not a name cut
 * by a newline. Lines that end early on purpose (headings, list items, table rows, address
 * blocks, the last line of a paragraph) keep their break.
 */
import { relativeCharWidth } from './char-width';
import { hasColumnGap } from './run-seams';
import type { TextRun } from './text-run';

/** The text area a line belongs to (its column, or the page's text block), in the text frame. */
export interface Flow {
  start: number;
  end: number;
}

/**
 * A list item starts here: a bullet or dash, "1." / "2)", "a." / "(b)", "iv." / "IV)", or "(A)",
 * then a space. A capital with a full stop is left out: it is more often an initial ("J. Smith").
 */
const LIST_MARKER =
  /^(?:[-\u2013\u2014\u2022\u25e6\u2043*\u00b7]|\(?(?:\d{1,3}|[a-z]|[ivx]{1,5}|[IVX]{2,5})[.)]|\(?[A-Z]\))\s/;
/** Narrower than this many ems is a form or a label column, not running text. */
const MIN_FLOW_EMS = 15;
/** A line this full was wrapped, whatever came next (a typesetter may keep words together). */
const FULL_SHARE = 0.9;
/** A shorter line was wrapped only if the next word did not fit after it... */
const MIN_WRAPPED_SHARE = 0.6;
/** ...with a word space and half an em of margin for the estimated word width, in ems. */
const FIT_MARGIN_EMS = relativeCharWidth(0x20) + 0.5;

const lineText = (runs: readonly TextRun[]): string => runs.map((r) => r.str).join(' ');

/** Estimated advance of the first word of a run, from the run's measured width. */
function firstWordWidth(run: TextRun): number {
  const chars = [...run.str.trimStart()];
  const weight = (cs: string[]): number =>
    cs.reduce((s, c) => s + relativeCharWidth(c.codePointAt(0)!), 0);
  const total = weight([...run.str]) || 1;
  const end = chars.findIndex((c) => /\s/.test(c));
  return (run.width * weight(end < 0 ? chars : chars.slice(0, end))) / total;
}

/**
 * Whether `next` continues `prev`'s text after a wrap: both are prose lines of the same flow and
 * size, `next` is neither indented nor a list item, and `prev` is all but full, or well filled
 * and either `next` starts in lower case or its first word would not have fitted at its end. Right-to-left lines keep their breaks (their wrap side
 * is the other edge).
 */
export function continuesAfterWrap(
  prev: readonly TextRun[],
  next: readonly TextRun[],
  flow: Flow,
): boolean {
  const last = prev[prev.length - 1];
  const first = next[0];
  if (!last || !first) return false;
  const size = last.size;
  if (prev.some((r) => r.rtl) || next.some((r) => r.rtl)) return false;
  if (Math.abs(first.size - size) > 0.15 * size) return false;
  if (flow.end - flow.start < MIN_FLOW_EMS * size) return false;
  if (hasColumnGap(prev) || hasColumnGap(next)) return false;
  if (LIST_MARKER.test(lineText(next).trimStart())) return false;
  const prevStart = Math.min(...prev.map((r) => r.u));
  const prevEnd = Math.max(...prev.map((r) => r.u + r.width));
  const prevIsItem = LIST_MARKER.test(lineText(prev).trimStart());
  // A first-line indent opens a paragraph; a list item's hanging indent does not.
  if (first.u > prevStart + size && !prevIsItem) return false;
  const fill = (prevEnd - flow.start) / (flow.end - flow.start);
  if (fill >= FULL_SHARE) return true;
  if (fill < MIN_WRAPPED_SHARE) return false;
  // Lower case at a line start continues a sentence: the line ended early because words were
  // kept together (a no-break space before a number or a name), not because the author broke it.
  if (/^\p{Ll}/u.test(first.str.trimStart())) return true;
  return flow.end - prevEnd < FIT_MARGIN_EMS * size + firstWordWidth(first);
}
