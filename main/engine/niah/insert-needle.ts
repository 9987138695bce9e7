/**
 * Puts a needle sentence into haystack text at a relative depth, at a sentence boundary.
 */

/** Character offsets where a sentence starts: 0 and after every ". ", "! ", "? ". */
export function sentenceStarts(text: string): number[] {
  const starts = [0];
  const re = /[.!?]["')\]]*\s+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].length;
    if (at < text.length) starts.push(at);
  }
  return starts;
}

export interface Inserted {
  text: string;
  /** Where the needle starts in `text`. */
  needleStart: number;
}

/**
 * Inserts `needle` at depth p (0 = first sentence, 1 = after the last): at the last sentence start
 * at or before p x length, so the needle never splits a sentence (depth 1 appends it).
 */
export function insertNeedle(haystack: string, needle: string, depth: number): Inserted {
  if (!(depth >= 0 && depth <= 1)) throw new RangeError(`depth must be in [0, 1], got ${depth}`);
  const body = haystack.trim();
  if (body === '') return { text: needle, needleStart: 0 };
  if (depth >= 1) return { text: `${body} ${needle}`, needleStart: body.length + 1 };
  const target = depth * body.length;
  let at = 0;
  for (const s of sentenceStarts(body)) if (s <= target) at = s;
  return { text: `${body.slice(0, at)}${needle} ${body.slice(at)}`, needleStart: at };
}
