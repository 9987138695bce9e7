import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { cliJson, runCli, type CliRun } from '../testing/run-cli';

let root: string;
let model: string;

function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cacheDir: join(root, 'cache') });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kv-lens-cli-niah-'));
  model = join(root, 'model');
  makeCheckpoint({ family: 'llama', outDir: model, seed: 7 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('CLI niah', () => {
  it('prints {"summary":{method:{budget:score}}} and writes the report', async () => {
    const out = join(root, 'out');
    const run = await cli(
      'niah',
      '--model',
      model,
      '--methods',
      'full,snapkv,compresskv',
      '--budgets',
      '32,48',
      '--lengths',
      '150',
      '--depths',
      '0,1',
      '--max-new-tokens',
      '3',
      '--out',
      out,
      '--json',
    );
    expect(run.code).toBe(0);
    const json = cliJson<{ summary: Record<string, Record<string, number>> }>(run);
    expect(Object.keys(json)).toEqual(['summary']);
    expect(Object.keys(json.summary)).toEqual(['full', 'snapkv', 'compresskv']);
    for (const r of Object.values(json.summary)) {
      expect(Object.keys(r)).toEqual(['32', '48']);
      for (const s of Object.values(r)) expect(s).toBeGreaterThanOrEqual(0);
    }
    for (const f of ['results.json', 'summary.md', 'heatmap-snapkv-48.png'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(run.stderr).toMatch(/niah: prompt 2 of 2/);
  });

  it('names the allowed methods on a typo', async () => {
    const run = await cli(
      'niah',
      '--model',
      model,
      '--methods',
      'snapkv,compreskv',
      '--out',
      join(root, 'x'),
      '--json',
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/compreskv.*Allowed: full/);
  });
});
