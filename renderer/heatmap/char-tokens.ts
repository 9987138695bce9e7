/**
 * Per character of the document, the document token covering it (-1 for none), built once per
 * token layout so drawing a row costs one array read per character.
 */
import type { TokenLayout } from '../../app/ipc/retention-view';

/** Builds the char -> token index for a text of `textLength` characters. */
export function charTokenIndex(layout: TokenLayout, textLength: number): Int32Array {
  const index = new Int32Array(textLength).fill(-1);
  const spans = layout.spans;
  for (let t = 0; 2 * t + 1 < spans.length; t++) {
    const start = Math.max(0, spans[2 * t]!);
    const end = Math.min(textLength, spans[2 * t + 1]!);
    for (let c = start; c < end; c++) index[c] = t;
  }
  return index;
}

/** Char offset where the prompt position `position` begins, or -1 when it is not document text. */
export function charOfPosition(layout: TokenLayout, position: number): number {
  const t = position - layout.docTokenStart;
  if (t < 0 || 2 * t >= layout.spans.length) return -1;
  return layout.spans[2 * t]!;
}

/** Nearest document char offset for a prompt position (clamped into the document's tokens). */
export function nearestCharOfPosition(layout: TokenLayout, position: number): number {
  const tokens = layout.spans.length / 2;
  if (tokens === 0) return 0;
  const t = Math.min(tokens - 1, Math.max(0, position - layout.docTokenStart));
  return layout.spans[2 * t]!;
}
