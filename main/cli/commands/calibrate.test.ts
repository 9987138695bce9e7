import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  root = mkdtempSync(join(tmpdir(), 'kv-lens-cli-calibrate-'));
  model = join(root, 'model');
  makeCheckpoint({ family: 'qwen2', outDir: model, seed: 6 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('CLI calibrate', () => {
  it('writes the calibration files and prints their paths as one JSON object', async () => {
    const run = await cli(
      'calibrate',
      '--model',
      model,
      '--lengths',
      '120',
      '--depths',
      '0,1',
      '--max-new-tokens',
      '3',
      '--min-recall',
      '-1',
      '--json',
    );
    expect(run.code).toBe(0);
    const out = cliJson<{ dir: string; where: string; files: string[] }>(run);
    expect(out.where).toBe('model');
    expect(out.dir).toBe(join(model, 'calibration'));
    expect(out.files.map((f) => f.slice(out.dir.length + 1)).sort()).toEqual([
      'head-scores.json',
      'heads.json',
      'layer-scores.json',
    ]);
    for (const f of out.files) expect(existsSync(f)).toBe(true);
    expect(run.stderr).toMatch(/calibrate heads: probe 2 of 2/);
    const heads = JSON.parse(readFileSync(join(out.dir, 'heads.json'), 'utf8')) as Record<
      string,
      number[]
    >;
    expect(Object.keys(heads)).toEqual(['0', '1']);
  });

  it('rejects bad flags with a usage error', async () => {
    const run = await cli('calibrate', '--model', model, '--what', 'everything', '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/heads\|layers\|all/);
  });
});
