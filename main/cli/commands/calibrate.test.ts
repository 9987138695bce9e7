import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';

let root: string;
let model: string;

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'main/cli/index.ts', ...args], {
      env: { ...process.env, KV_LENS_CACHE_DIR: join(root, 'cache') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
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
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as { dir: string; where: string; files: string[] };
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
