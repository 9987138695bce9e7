import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { writeNiahReport } from './niah-report';
import { runNiah } from './run-niah';

let root: string;
let model: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kv-lens-niah-'));
  model = join(root, 'model');
  makeCheckpoint({ family: 'mistral', outDir: model, seed: 8 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runNiah on a tiny random model', () => {
  it('runs a two-case grid for every method and budget and writes the report', async () => {
    const progress: number[] = [];
    const run = await runNiah(model, {
      methods: ['full', 'streamingllm', 'snapkv', 'pyramidkv', 'compresskv', 'h2o'],
      budgets: [32, 64],
      lengths: [200],
      depths: [0, 1],
      maxNewTokens: 3,
      cacheDir: join(root, 'cache'),
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress).toEqual([1, 2]);
    const ran = run.skipped.length ? 5 : 6;
    expect(run.cases).toHaveLength(2 * 2 * ran);
    for (const c of run.cases) {
      expect(c.promptTokens).toBeLessThanOrEqual(200);
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
    // No calibration in the model folder: CompressKV says it fell back.
    expect(run.warnings.some((w) => /CompressKV: no retrieval-head calibration/.test(w))).toBe(
      true,
    );
    // The full cache does not depend on the budget.
    const full = run.cases.filter((c) => c.method === 'full' && c.depth === 0);
    expect(full[0]!.output).toBe(full[1]!.output);

    const out = join(root, 'out');
    const { files, summary } = writeNiahReport(out, run, { seed: 0 });
    expect(Object.keys(summary)).toEqual(
      ['full', 'streamingllm', 'snapkv', 'pyramidkv', 'compresskv', 'h2o'].slice(0, ran),
    );
    for (const byBudget of Object.values(summary))
      expect(Object.keys(byBudget)).toEqual(['32', '64']);
    expect(files).toContain(join(out, 'heatmap-compresskv-32.png'));
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(2 * ran);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      cases: unknown[];
    };
    expect(results.cases).toHaveLength(run.cases.length);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /\| CompressKV \| \d\.\d{3} \| \d\.\d{3} \|/,
    );
    expect(existsSync(join(out, 'heatmap-full-64.png'))).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    const o = {
      methods: ['snapkv' as const],
      budgets: [32],
      lengths: [160],
      depths: [0.5],
      maxNewTokens: 3,
      cacheDir: join(root, 'cache'),
    };
    const a = await runNiah(model, { ...o, seed: 4 });
    const b = await runNiah(model, { ...o, seed: 4 });
    expect(b.cases).toEqual(a.cases);
    const c = await runNiah(model, { ...o, seed: 5 });
    expect(c.cases[0]!.needle).not.toBe(a.cases[0]!.needle);
  });
});
