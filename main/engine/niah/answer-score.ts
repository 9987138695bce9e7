/**
 * How well a generated answer matches the expected one: ROUGE-1 recall and exact match.
 *
 * Normalisation (both scores): lowercase (Unicode), every character that is not a letter or a
 * digit becomes a space (so punctuation is stripped and "4821-KT" is the two words "4821" and
 * "kt"), then split on whitespace.
 * - ROUGE-1 recall = matched words / words of the answer, where each output word can match at
 *   most once (clipped counts, as ROUGE does). An empty answer scores 0.
 * - Exact match = the answer's words appear in the output as one contiguous run.
 *
 * Verbatim match (the sample-PDF bench's "right") is stricter and needs no normalisation: the
 * answer as written, case included, not run into other letters or digits on either side, nor
 * continued by a joiner and more of them ("9162-RK-RK" does not hold "9162-RK" verbatim).
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

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Characters that join a value's parts ("9162-RK", "8,521", "3.5", "a/b", "O'Neil"). */
const JOINER = /[-,./'_]/;

/** True when `answer` occurs in `output` exactly as written, as a whole value (file comment). */
export function verbatimMatch(answer: string, output: string): boolean {
  if (answer.trim() === '') return false;
  for (let at = output.indexOf(answer); at !== -1; at = output.indexOf(answer, at + 1)) {
    const before = output[at - 1] ?? ' ';
    const end = at + answer.length;
    const after = output[end] ?? ' ';
    const afterNext = output[end + 1] ?? ' ';
    const runsOn = WORD_CHAR.test(after) || (JOINER.test(after) && WORD_CHAR.test(afterNext));
    if (!WORD_CHAR.test(before) && !runsOn) return true;
  }
  return false;
}
