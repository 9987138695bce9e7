/**
 * Needles: one sentence holding a fact, a question about it, and the answer, a span of the
 * sentence that a model must copy. Generated from the project's word lists (four kinds: access
 * codes, numbers, names, places) or read from a JSON-lines file.
 */
import { readFileSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';
import { SeededRandom } from './seeded-random';
import { NEEDLE as W } from './words';

export interface Needle {
  id: string;
  /** code | number | name | place for generated needles, 'file' for needles from a file. */
  kind: string;
  needle: string;
  question: string;
  /** Verbatim substring of `needle`. */
  answer: string;
  /**
   * A near-miss fact put elsewhere in the haystack (the same kind of fact sharing part of the key,
   * another value), so that finding the kind of fact is not enough: the key must match.
   */
  twin?: string;
}

export const NEEDLE_KINDS = ['code', 'number', 'name', 'place'] as const;
export type NeedleKind = (typeof NEEDLE_KINDS)[number];

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function code(r: SeededRandom): string {
  const digits = Array.from({ length: 4 }, () => String(r.int(10))).join('');
  const letters = LETTERS[r.int(LETTERS.length)]! + LETTERS[r.int(LETTERS.length)]!;
  return r.int(2) === 0 ? `${digits}-${letters}` : `${letters}-${digits}`;
}

type Maker = (r: SeededRandom) => Omit<Needle, 'id' | 'kind'>;

const MAKERS: Record<NeedleKind, Maker> = {
  code: (r) => {
    const place = `${r.pick(W.placeAdjectives)} ${r.pick(W.places)}`;
    const answer = code(r);
    return {
      needle: `The access code for the ${place} is ${answer}.`,
      question: `What is the access code for the ${place}?`,
      answer,
    };
  },
  number: (r) => {
    const town = r.pick(W.towns);
    const item = r.pick(W.items);
    const answer = String(r.between(1000, 99999));
    return {
      needle: `The storehouse in ${town} keeps exactly ${answer} ${item}.`,
      question: `How many ${item} does the storehouse in ${town} keep?`,
      answer,
    };
  },
  name: (r) => {
    const role = r.pick(W.roles);
    const org = r.pick(W.orgs);
    const answer = `${r.pick(W.firstNames)} ${r.pick(W.lastNames)}`;
    return {
      needle: `The ${role} of the ${org} is ${answer}.`,
      question: `Who is the ${role} of the ${org}?`,
      answer,
    };
  },
  place: (r) => {
    const person = `${r.pick(W.firstNames)} ${r.pick(W.lastNames)}`;
    const answer = r.pick(W.towns);
    return {
      needle: `${person} lives in ${answer}.`,
      question: `Where does ${person} live?`,
      answer,
    };
  },
};

/** A needle of `kind` (default: the kinds in turn by seed) from a seed. */
export function generateNeedle(seed: number, kind?: NeedleKind): Needle {
  const r = new SeededRandom(seed);
  const k = kind ?? NEEDLE_KINDS[seed % NEEDLE_KINDS.length]!;
  return { id: `${k}-${seed}`, kind: k, ...MAKERS[k](r) };
}

/** Validates one needle (answer inside the needle sentence); `where` names it in errors. */
export function checkNeedle(n: Needle, where: string): Needle {
  for (const key of ['needle', 'question', 'answer'] as const) {
    if (typeof n[key] !== 'string' || n[key].trim() === '') {
      throw new KvLensError('invalid-argument', `${where}: "${key}" must be a non-empty string.`);
    }
  }
  if (!n.needle.includes(n.answer)) {
    throw new KvLensError(
      'invalid-argument',
      `${where}: the answer "${n.answer}" must appear verbatim in the needle "${n.needle}".`,
    );
  }
  if (n.twin !== undefined) {
    if (typeof n.twin !== 'string' || n.twin.trim() === '') {
      throw new KvLensError('invalid-argument', `${where}: "twin" must be a non-empty string.`);
    }
    if (n.twin.includes(n.answer)) {
      throw new KvLensError(
        'invalid-argument',
        `${where}: the twin "${n.twin}" holds the answer "${n.answer}"; a twin must hold another value.`,
      );
    }
  }
  return n;
}

/**
 * Reads needles from a JSON-lines file: one `{"needle": "...", "question": "...", "answer": "..."}`
 * object per line (optional "id" and "twin"); blank lines are skipped.
 */
export function readNeedlesFile(path: string): Needle[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KvLensError(
      'not-found',
      `Cannot read the needles file ${path}: ${(err as Error).message}`,
    );
  }
  const needles: Needle[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path} line ${i + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new KvLensError('invalid-argument', `${where} is not JSON: ${(err as Error).message}`);
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new KvLensError(
        'invalid-argument',
        `${where}: expected an object {needle, question, answer}.`,
      );
    }
    const id =
      typeof obj.id === 'string' || typeof obj.id === 'number' ? String(obj.id) : `line-${i + 1}`;
    needles.push(
      checkNeedle(
        {
          id,
          kind: 'file',
          needle: obj.needle as string,
          question: obj.question as string,
          answer: obj.answer as string,
          ...(obj.twin !== undefined ? { twin: obj.twin as string } : {}),
        },
        where,
      ),
    );
  });
  if (needles.length === 0) {
    throw new KvLensError(
      'invalid-argument',
      `${path} holds no needles (one JSON object per line).`,
    );
  }
  return needles;
}
