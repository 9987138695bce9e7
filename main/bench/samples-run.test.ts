/**
 * The samples benchmark's run through the app service, on a tiny random checkpoint and a
 * generated two-page PDF (a few seconds). Random weights answer gibberish: this checks the
 * plumbing (PDF read by the app's pipeline, both settings asked, the budget applied, timing
 * found in the progress events), not answer quality.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCheckpoint } from '../../native-models/checkpoint/make-checkpoint';
import { pdfkitBytes } from '../documents/testing/make-pdf';
import { readSample } from './samples-meta';
import { runSamples } from './samples-run';

let root: string;
const previousCache = process.env.KV_LENS_CACHE_DIR;

const shelves = (from: number) =>
  Array.from(
    { length: 20 },
    (_, i) => `Shelf ${from + i} of the archive holds box ${1000 + (from + i) * 7}.`,
  ).join(' ');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kvlens-samples-'));
  process.env.KV_LENS_CACHE_DIR = join(root, 'graph-cache');
  makeCheckpoint({ family: 'llama', outDir: join(root, 'model'), seed: 5 });
  const pdf = await pdfkitBytes((doc) => {
    doc.text(shelves(0));
    doc.addPage();
    doc.text(shelves(20));
  });
  writeFileSync(join(root, 'shelves.pdf'), pdf);
  const q = (n: number) => ({
    question: `Which box is on shelf ${n}?`,
    answer: String(1000 + n * 7),
    reply: `Shelf ${n} holds box ${1000 + n * 7}.`,
    kind: 'box',
    page: n < 20 ? 1 : 2,
  });
  writeFileSync(
    join(root, 'shelves.json'),
    JSON.stringify({
      document: 'shelves.pdf',
      title: 'Shelves',
      pages: 2,
      tokens: 600,
      questions: [q(3), q(31)],
    }),
  );
});

afterAll(() => {
  if (previousCache === undefined) delete process.env.KV_LENS_CACHE_DIR;
  else process.env.KV_LENS_CACHE_DIR = previousCache;
  rmSync(root, { recursive: true, force: true });
});

describe('samples benchmark through the app service (tiny random model)', () => {
  it('asks every question at the compressed setting and the full cache', async () => {
    const run = await runSamples({
      modelDir: join(root, 'model'),
      docs: [readSample(join(root, 'shelves.json'))],
      method: 'snapkv',
      budget: 32,
      maxNewTokens: 4,
      log: () => {},
    });
    expect(run.model.isDefault).toBe(true);
    expect(run.settings.map((s) => s.label)).toEqual(['snapkv @ 32', 'full cache']);
    const [doc] = run.documents;
    expect(doc).toMatchObject({ name: 'shelves', pages: 2, ingestWarnings: [] });
    expect(doc!.questions.map((q) => q.answer)).toEqual(['1021', '1217']);
    for (const [i, q] of doc!.questions.entries()) {
      const { compressed, full } = q.answers;
      expect(compressed.prefilledDocument).toBe(i === 0);
      expect(full.prefilledDocument).toBe(false);
      expect(compressed.generatedTokens).toBeGreaterThan(0);
      expect(compressed.generatedTokens).toBeLessThanOrEqual(4);
      // The budget reached the engine: 32 per layer kept, against every prompt token in full.
      expect(compressed.keptTokens).toBe(32 * run.model.numLayers);
      expect(full.keptTokens).toBe(full.promptTokens * run.model.numLayers);
      expect(full.promptTokens).toBeGreaterThan(32);
    }
    // The document prefill was found in the app's progress events (chat-runner's labels).
    expect(doc!.timing.prefillMs).toBeGreaterThan(0);
    expect(doc!.timing.prefillTokens).toBeGreaterThan(0);
    expect(doc!.timing.prefillTokens).toBeLessThan(doc!.questions[0]!.answers.full.promptTokens);
    expect(doc!.timing.loadMs).toBeGreaterThanOrEqual(0);
  });
});
