const GLUE = '\u0000';

/**
 * Greedy line wrapping that never breaks inside (or just before) a kept span.
 *
 * PDF text extractors return one item per line, so an answer split over two lines would no longer
 * be a verbatim span of the extracted text; the trained model copies spans, so they stay whole.
 */
export function wrapKeepingSpans(
  text: string,
  width: number,
  measure: (s: string) => number,
  keep: readonly string[],
): string[] {
  let glued = text;
  // Longest first: gluing a short span (" 1") inside a longer one (" 2 April 1985") first would
  // hide the longer one's spaces from its own gluing.
  for (const span of [...keep].sort((a, b) => b.length - a.length)) {
    if (span.length === 0) continue;
    // Glue the span to the word before it too: a line never starts with the answer.
    glued = glued.split(` ${span}`).join(GLUE + span.split(' ').join(GLUE));
  }
  const lines: string[] = [];
  let line = '';
  for (const word of glued.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate.split(GLUE).join(' ')) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => l.split(GLUE).join(' '));
}
