/**
 * Prompt positions -> character spans in the ORIGINAL document text, so a retention map (one
 * value per prompt token) can be painted on the document.
 */
import type { Span } from '../tokenizer/token-offsets';

export interface DocumentSpans {
  /** Per prompt position: [start, end) in the document, or -1/-1 (template or question). */
  start: Int32Array;
  end: Int32Array;
  /** First and one-past-last prompt positions that carry document text. */
  firstToken: number;
  endToken: number;
}

/**
 * `prefixSpans` are the prefix tokens' spans in the rendered prefix, where the document sits at
 * `range`. Templates may trim the document's leading whitespace, so offsets are shifted by the
 * trimmed lead to land in `document`. Positions from prefixSpans.length to `promptLength` (the
 * question suffix) map to nothing.
 */
export function documentSpans(
  prefixSpans: readonly Span[],
  range: Span,
  document: string,
  promptLength: number,
): DocumentSpans {
  const [docStart, docEnd] = range;
  const lead = document.length - document.trimStart().length;
  const n = Math.max(promptLength, prefixSpans.length);
  const start = new Int32Array(n).fill(-1);
  const end = new Int32Array(n).fill(-1);
  let firstToken = -1;
  let endToken = -1;
  prefixSpans.forEach(([s, e], t) => {
    // Overlap with the document range; tokens straddling its edge keep their document part.
    const a = Math.max(s, docStart);
    const b = Math.min(e, docEnd);
    if (b <= a) return;
    start[t] = a - docStart + lead;
    end[t] = b - docStart + lead;
    if (firstToken < 0) firstToken = t;
    endToken = t + 1;
  });
  if (firstToken < 0) firstToken = endToken = 0;
  return { start, end, firstToken, endToken };
}
