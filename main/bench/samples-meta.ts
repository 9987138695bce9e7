/**
 * The sample documents and their questions: each `<name>.json` in the samples folder describes
 * the document beside it ({document, title, pages, tokens, questions[{question, answer, reply,
 * kind, page}]}, written with the sample PDFs). Read strictly: a question without its answer
 * would silently count as wrong.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { KvLensError } from '../../app/errors';

export interface SampleQuestion {
  question: string;
  /** The short expected answer (what the verbatim match and ROUGE-1 look for). */
  answer: string;
  /** A full-sentence reference reply. */
  reply: string;
  kind: string;
  /** 1-based page the answer is printed on. */
  page: number;
}

export interface SampleDoc {
  /** The JSON's file name without `.json` (what --docs takes). */
  name: string;
  /** Absolute path of the document file. */
  path: string;
  title: string;
  pages: number;
  /** The document's token count as the JSON records it (the demo tokenizer's). */
  tokens: number;
  questions: SampleQuestion[];
}

/** Every described sample in `dir`, sorted by name. */
export function listSamples(dir: string): SampleDoc[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.json'));
  } catch (err) {
    throw new KvLensError(
      'not-found',
      `Cannot read the samples folder ${dir} (${(err as Error).message}).`,
    );
  }
  return files.sort().map((f) => readSample(resolve(dir, f)));
}

/** Reads and checks one sample's JSON; the document file must exist beside it. */
export function readSample(jsonPath: string): SampleDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (err) {
    throw new KvLensError('corrupt', `${jsonPath}: not readable JSON (${(err as Error).message}).`);
  }
  const doc = parseSample(raw, jsonPath);
  const path = resolve(dirname(jsonPath), doc.document);
  if (!existsSync(path)) {
    throw new KvLensError('not-found', `${jsonPath} describes ${doc.document}, which is missing.`);
  }
  const { document: _document, ...rest } = doc;
  return { ...rest, name: basename(jsonPath).replace(/\.json$/i, ''), path };
}

/** Checks the JSON's shape; `where` names the file in messages. */
export function parseSample(
  raw: unknown,
  where: string,
): Omit<SampleDoc, 'name' | 'path'> & {
  document: string;
} {
  const o = record(raw, where);
  const questions = o.questions;
  if (!Array.isArray(questions) || questions.length === 0) {
    throw bad(where, 'questions', 'a non-empty list');
  }
  return {
    document: text(o, 'document', where),
    title: text(o, 'title', where),
    pages: count(o, 'pages', where),
    tokens: count(o, 'tokens', where),
    questions: questions.map((q, i) => {
      const at = `${where} questions[${i}]`;
      const r = record(q, at);
      return {
        question: text(r, 'question', at),
        answer: text(r, 'answer', at),
        reply: text(r, 'reply', at),
        kind: text(r, 'kind', at),
        page: count(r, 'page', at),
      };
    }),
  };
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new KvLensError('corrupt', `${where}: expected an object.`);
  }
  return v as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw bad(where, key, 'a non-empty string');
  return v;
}

function count(o: Record<string, unknown>, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw bad(where, key, 'a whole number of at least 1');
  }
  return v;
}

function bad(where: string, key: string, what: string): KvLensError {
  return new KvLensError('corrupt', `${where}: "${key}" must be ${what}.`);
}
