import { readFileSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';

/** One block of a sample document, as written by trainer/sample_docs.py. */
export type SampleBlock =
  | { type: 'title'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'para'; sentences: string[] }
  | { type: 'list'; items: string[]; numbered: boolean }
  | { type: 'table'; header: string[]; rows: string[][] };

/** A question about a sample document and the span of the document that answers it. */
export interface SampleQuestion {
  question: string;
  answer: string;
  /** The demo model's reply when it answers correctly. */
  reply: string;
  kind: string;
}

/** A sample document's content (the PDF's layout is decided by renderSamplePdf). */
export interface SampleDoc {
  name: string;
  title: string;
  tokens: number;
  /** Answer spans that must never be split across lines (so extracted text holds them verbatim). */
  keep: string[];
  blocks: SampleBlock[];
  qa: SampleQuestion[];
}

const BLOCK_TYPES = new Set(['title', 'heading', 'para', 'list', 'table']);

/** Read and check samples/sample-docs.json. */
export function readSampleDocs(path: string): SampleDoc[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KvLensError(
      'invalid-argument',
      `Cannot read the sample spec ${path} (${(err as Error).message}); write one with \`python3 -m trainer.sample_docs\`.`,
    );
  }
  if (!Array.isArray(raw)) {
    throw new KvLensError(
      'invalid-argument',
      `${path}: expected a JSON array of sample documents.`,
    );
  }
  for (const doc of raw as SampleDoc[]) {
    if (typeof doc.name !== 'string' || !Array.isArray(doc.blocks) || !Array.isArray(doc.qa)) {
      throw new KvLensError(
        'invalid-argument',
        `${path}: each document needs name, blocks and qa.`,
      );
    }
    for (const b of doc.blocks) {
      if (!BLOCK_TYPES.has(b.type)) {
        throw new KvLensError(
          'invalid-argument',
          `${path}: ${doc.name} has a block of type "${String(b.type)}"; allowed: ${[...BLOCK_TYPES].join(', ')}.`,
        );
      }
    }
  }
  return raw as SampleDoc[];
}
