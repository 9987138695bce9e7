/**
 * The project's own haystack prose: grammatical, varied sentences from templates over the filler
 * word lists (words.ts). They state nothing a needle question asks about, so the only way to
 * answer is to find the needle.
 */
import { SeededRandom } from './seeded-random';
import { FILLER as W } from './words';

const an = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

type Template = (r: SeededRandom) => string;

const TEMPLATES: readonly Template[] = [
  (r) =>
    `The ${r.pick(W.adjectives)} ${r.pick(W.nouns)} ${r.pick(W.verbsPresent)} the ${r.pick(W.nouns)}.`,
  (r) =>
    `${r.pick(W.groups)} ${r.pick(W.verbsPast)} the ${r.pick(W.adjectives)} ${r.pick(W.nouns)} ${r.pick(W.times)}.`,
  (r) =>
    `${r.pick(W.times)}, the ${r.pick(W.nouns)} seemed ${r.pick(W.adjectives)} and ${r.pick(W.adjectives)}.`,
  (r) =>
    `Few people recall when the ${r.pick(W.nouns)} was first ${r.pick(W.verbsPast)}, yet ${r.pick(W.groups)} still mention it.`,
  (r) =>
    `Some claim that ${an(r.pick(W.adjectives))} ${r.pick(W.nouns)} is worth more than ${an(r.pick(W.adjectives))} ${r.pick(W.nouns)}.`,
  (r) =>
    `${r.pick(W.connectives)}, the ${r.pick(W.groups)} preferred the ${r.pick(W.adjectives)} ${r.pick(W.nouns)}.`,
  (r) =>
    `A note about the ${r.pick(W.nouns)} was ${r.pick(W.verbsPast)} twice, once by ${r.pick(W.groups)} and once by the ${r.pick(W.nouns)} office.`,
  (r) =>
    `Near the ${r.pick(W.nouns)}, ${r.pick(W.groups)} found ${an(r.pick(W.adjectives))} ${r.pick(W.nouns)} that nobody had ${r.pick(W.verbsPast)} before.`,
  (r) =>
    `Most of the ${r.pick(W.nouns)} is ${r.pick(W.adjectives)}, though the part beside the ${r.pick(W.nouns)} is rather ${r.pick(W.adjectives)}.`,
  (r) =>
    `Whenever the ${r.pick(W.nouns)} turns ${r.pick(W.adjectives)}, ${r.pick(W.groups)} wait for the ${r.pick(W.nouns)} to grow ${r.pick(W.adjectives)}.`,
  (r) =>
    `The ${r.pick(W.nouns)} and the ${r.pick(W.nouns)} were ${r.pick(W.verbsPast)} by ${r.pick(W.groups)} ${r.pick(W.times)}.`,
  (r) =>
    `It was ${an(r.pick(W.adjectives))} ${r.pick(W.nouns)}, and the ${r.pick(W.groups)} liked it that way.`,
];

/** One filler sentence. */
export function fillerSentence(r: SeededRandom): string {
  return cap(r.pick(TEMPLATES)(r));
}

/**
 * Filler sentences, at least `minChars` characters when joined with spaces. The same seed always
 * gives the same sequence, and a longer request extends a shorter one (same prefix), so growing
 * a haystack never reshuffles the part already there.
 */
export function fillerSentences(seed: number, minChars: number): string[] {
  const r = new SeededRandom(seed);
  const out: string[] = [];
  let chars = 0;
  while (chars < minChars) {
    const s = fillerSentence(r);
    out.push(s);
    chars += s.length + 1;
  }
  return out;
}
