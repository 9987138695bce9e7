/**
 * Splits the document text into display rows of at most `cols` characters (word wrap, hard wrap
 * for longer words), so the reading panel can render only the rows in view. Monospace text makes
 * a character's box a pure function of (row, column), which the tint canvas relies on.
 */

/** Row start offsets; row i covers text[starts[i], ends[i]) (newlines are not in any row). */
export interface TextRows {
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

/** Computes display rows for `text` at `cols` columns (cols >= 1). */
export function computeRows(text: string, cols: number): TextRows {
  const width = Math.max(1, Math.floor(cols));
  let starts = new Int32Array(Math.max(16, (text.length / width) | 0));
  let ends = new Int32Array(starts.length);
  let count = 0;
  const push = (s: number, e: number) => {
    if (count === starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[count] = s;
    ends[count] = e;
    count++;
  };
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let s = lineStart;
    if (s === lineEnd) push(s, s);
    while (s < lineEnd) {
      if (lineEnd - s <= width) {
        push(s, lineEnd);
        break;
      }
      // Break after the last space that fits; a word longer than the row is cut.
      let cut = text.lastIndexOf(' ', s + width - 1);
      cut = cut > s ? cut + 1 : s + width;
      push(s, cut);
      s = cut;
    }
    lineStart = lineEnd + 1;
  }
  return { starts: starts.subarray(0, count), ends: ends.subarray(0, count), count };
}

/** Index of the row that holds character `offset` (binary search). */
export function rowOfChar(rows: TextRows, offset: number): number {
  let lo = 0;
  let hi = rows.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}
