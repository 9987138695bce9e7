/**
 * One needle-in-a-haystack prompt of a target length in the model's own tokens: the chat template
 * around "haystack with the needle at depth p" + blank line + question, with the answer located
 * in token positions. A needle's twin (a near-miss fact) goes in first, half the haystack away
 * from the needle (depth p + 0.5 or p - 0.5).
 *
 * The haystack is cut to hit the target: a few proportional steps on the character count, then
 * word by word, then character by character (the last filler word may be cut), re-tokenizing the
 * whole templated prompt each time (token counts are not additive across a cut). The result is
 * the longest prompt of at most `length` tokens this finds, almost always exactly `length`.
 */
import { KvLensError } from '../../../app/errors';
import { buildDocumentPrompt } from '../tokenizer/document-prompt';
import type { ModelTokenizer } from '../tokenizer/model-tokenizer';
import type { HaystackSource } from './haystack';
import { insertNeedle } from './insert-needle';
import type { Needle } from './needles';

export interface ProbeSpec {
  needle: Needle;
  /** Target prompt length in tokens (template included). */
  length: number;
  /** 0 = needle at the start of the haystack, 1 = at its end. */
  depth: number;
}

export interface Probe extends ProbeSpec {
  /** The whole prompt: document prefix then question suffix (tokenized apart, as the app does). */
  promptIds: number[];
  /** Tokens of the question suffix (the last ones of promptIds), as DocumentSession counts them. */
  questionTokens: number;
  /** Prompt positions of the answer's tokens, ascending. */
  answerPositions: number[];
  /** Prompt positions of the needle sentence's tokens, ascending. */
  needlePositions: number[];
}

const MAX_WORD_STEPS = 64;

/** Builds the prompt of one (needle, length, depth) probe. */
export function buildProbe(
  tokenizer: ModelTokenizer,
  haystack: HaystackSource,
  spec: ProbeSpec,
): Probe {
  const { needle, length, depth } = spec;
  const measure = (chars: number) => {
    const filler = haystack.text(chars).slice(0, chars);
    const withTwin = needle.twin
      ? insertNeedle(filler, needle.twin, twinDepth(depth)).text
      : filler;
    const doc = insertNeedle(withTwin, needle.needle, depth);
    const prompt = buildDocumentPrompt(tokenizer, doc.text);
    const suffix = prompt.encodeSuffix(needle.question);
    const prefixIds = tokenizer.encode(prompt.prefix);
    return { doc, prompt, suffix, tokens: prefixIds.length + suffix.length };
  };
  const floor = measure(0);
  if (floor.tokens > length) {
    throw new KvLensError(
      'invalid-argument',
      `A context length of ${length} tokens is too short: the template, needle and question alone take ${floor.tokens}.`,
    );
  }
  // Proportional steps on the character count while far off, then single words.
  let chars = Math.max(1, (length - floor.tokens) * 4);
  let m = measure(chars);
  for (let step = 0; step < 8 && Math.abs(length - m.tokens) > 3; step++) {
    const perToken = chars / Math.max(1, m.tokens - floor.tokens);
    chars = Math.max(1, Math.round(chars + (length - m.tokens) * perToken));
    m = measure(chars);
  }
  const text = haystack.text(chars + 4 * MAX_WORD_STEPS);
  for (let step = 0; step < MAX_WORD_STEPS && m.tokens > length && chars > 0; step++) {
    chars = wordCut(text, chars, false);
    m = measure(chars);
  }
  for (let step = 0; step < MAX_WORD_STEPS && m.tokens < length; step++) {
    const grown = wordCut(text, chars, true);
    const g = measure(grown);
    if (g.tokens > length) break;
    [chars, m] = [grown, g];
  }
  // Last, single characters (the final word may be cut) to land on the exact length.
  for (let step = 0; step < MAX_WORD_STEPS && m.tokens < length; step++) {
    const g = measure(chars + 1);
    if (g.tokens > length) break;
    [chars, m] = [chars + 1, g];
  }
  const { prompt, doc } = m;
  const { ids: prefixIds, spans } = prompt.encodePrefix();
  const docStart = prompt.documentRange[0] - leadingTrim(doc.text);
  const needleStart = docStart + doc.needleStart;
  const answerStart = needleStart + needle.needle.indexOf(needle.answer);
  const overlapping = (a: number, b: number) =>
    spans.flatMap(([s, e], k) => (s < b && e > a ? [k] : []));
  const answerPositions = overlapping(answerStart, answerStart + needle.answer.length);
  if (answerPositions.length === 0) {
    throw new Error(`buildProbe: the answer "${needle.answer}" maps to no token`);
  }
  return {
    ...spec,
    promptIds: [...prefixIds, ...m.suffix],
    questionTokens: m.suffix.length,
    answerPositions,
    needlePositions: overlapping(needleStart, needleStart + needle.needle.length),
  };
}

/** Where a needle's twin goes: half the haystack away from the needle. */
export function twinDepth(depth: number): number {
  return depth < 0.5 ? depth + 0.5 : depth - 0.5;
}

/** Characters the template's trimming removed from the front of the document. */
function leadingTrim(text: string): number {
  return text.length - text.trimStart().length;
}

/** The character count one word further (or one word back) from `chars`. */
function wordCut(text: string, chars: number, grow: boolean): number {
  if (grow) {
    const sp = text.indexOf(' ', chars + 1);
    return sp < 0 ? text.length : sp;
  }
  const sp = text.lastIndexOf(' ', chars - 1);
  return sp < 0 ? 0 : sp;
}
