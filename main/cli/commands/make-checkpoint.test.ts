import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../native-models/checkpoint/open-checkpoint';
import { cliJson, runCli } from '../testing/run-cli';
import { makeCheckpointCommand } from './make-checkpoint';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-cli-mk-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const io = { log: () => {}, signal: new AbortController().signal };

describe('make-checkpoint command', () => {
  it('writes a folder that opens and reports its files', async () => {
    const out = path.join(tmp, 'q3');
    const argv = [
      '--family',
      'qwen3',
      '--out',
      out,
      '--seed',
      '5',
      '--dtype',
      'fp16',
      '--shards',
      '2',
    ];
    const result = await makeCheckpointCommand.run(argv, io);
    const json = result.json as { dir: string; family: string; files: string[] };
    expect(json.dir).toBe(out);
    expect(json.family).toBe('qwen3');
    expect(json.files.filter((f) => f.endsWith('.safetensors'))).toHaveLength(2);
    const ck = openCheckpoint(out);
    expect(ck.spec.family).toBe('qwen3');
    expect(ck.files).toEqual(json.files);
    ck.dispose();
  });

  it('rejects bad flags as usage errors', async () => {
    await expect(
      makeCheckpointCommand.run(['--family', 'gpt2', '--out', tmp], io),
    ).rejects.toMatchObject({ code: 'usage' });
    await expect(
      makeCheckpointCommand.run(['--family', 'llama', '--out', tmp, '--dtype', 'int8'], io),
    ).rejects.toMatchObject({ code: 'usage' });
    await expect(makeCheckpointCommand.run(['--family', 'llama'], io)).rejects.toMatchObject({
      code: 'usage',
    });
  });

  it('prints one JSON object through the CLI entry point', async () => {
    const out = path.join(tmp, 'cli');
    const run = await runCli(['make-checkpoint', '--family', 'mistral', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = cliJson<{ dir: string; family: string; files: string[] }>(run);
    expect(json).toMatchObject({ dir: out, family: 'mistral' });
    expect(json.files.map((f) => path.basename(f))).toContain('model.safetensors');
    const bad = await runCli([
      'make-checkpoint',
      '--family',
      'llama',
      '--out',
      out,
      '--shards',
      '0',
      '--json',
    ]);
    expect(bad.code).toBe(2);
    expect(cliJson(bad)).toMatchObject({ error: { code: 'usage' } });
  });
});
