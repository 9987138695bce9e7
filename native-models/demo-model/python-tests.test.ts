import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The trainer's own tests (data generator, tokenizer, export) are Python; they need Debian's
// python3-torch, which CI machines may lack, so this wrapper skips with the reason instead.
const PYTHON = '/usr/bin/python3';
const root = import.meta.dirname;

function torchMissingReason(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (install python3 and python3-torch)`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return `torch is not importable by ${PYTHON} (apt-get install python3-torch)`;
  return null;
}

const reason = torchMissingReason();
if (reason) console.log(`skipping demo-model Python tests: ${reason}`);

describe('demo-model Python tests', () => {
  it.skipIf(reason !== null)('pass under unittest', () => {
    const run = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', join(root, 'tests')], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
      timeout: 300_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/Ran \d+ tests/);
  });
});
