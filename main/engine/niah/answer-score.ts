/**
 * How well a generated answer matches the expected one: ROUGE-1 recall and exact match.
 *
 * Normalisation (both scores): lowercase (Unicode), every character that is not a letter or a
 * digit becomes a space (so punctuation is stripped and "4821-KT" is the two words "4821" and
 * "kt"), then split on whitespace.
 * - ROUGE-1 recall = matched words / words of the answer, where each output word can match at
 *   most once (clipped counts, as ROUGE does). An empty answer scores 0.
 * - Exact match = the answer's words appear in the output as one contiguous run.
 */

/** Lowercased word tokens with punctuation stripped (see the file comment). */
export function normalisedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w !== '');
}

/** ROUGE-1 recall of `answer` in `output`, in [0, 1]. */
export function rouge1Recall(answer: string, output: string): number {
  const want = normalisedWords(answer);
  if (want.length === 0) return 0;
  const have = new Map<string, number>();
  for (const w of normalisedWords(output)) have.set(w, (have.get(w) ?? 0) + 1);
  let hit = 0;
  for (const w of want) {
    const n = have.get(w) ?? 0;
    if (n > 0) {
      hit++;
      have.set(w, n - 1);
    }
  }
  return hit / want.length;
}

/** True when the normalised answer occurs in the normalised output as a contiguous word run. */
export function exactMatch(answer: string, output: string): boolean {
  const want = normalisedWords(answer);
  const have = normalisedWords(output);
  if (want.length === 0) return false;
  outer: for (let i = 0; i + want.length <= have.length; i++) {
    for (let k = 0; k < want.length; k++) if (have[i + k] !== want[k]) continue outer;
    return true;
  }
  return false;
}
