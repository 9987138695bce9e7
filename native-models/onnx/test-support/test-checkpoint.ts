/**
 * Random-weight Hugging Face folders for builder tests, written to a temp folder and opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelFamily } from '../../../app/model/model-spec';
import type { Checkpoint, WeightDtype } from '../../checkpoint/checkpoint';
import { makeCheckpoint } from '../../checkpoint/make-checkpoint';
import { openCheckpoint } from '../../checkpoint/open-checkpoint';
import type { CheckpointDims } from '../../checkpoint/random-spec';

export interface TestCheckpoint {
  dir: string;
  ckpt: Checkpoint;
  /** Closes the checkpoint and deletes its folder. */
  dispose(): void;
}

/** Writes a random checkpoint of `family` into a fresh temp folder and opens it. */
export function testCheckpoint(
  family: ModelFamily,
  dims: Partial<CheckpointDims> = {},
  options: { seed?: number; dtype?: WeightDtype; shards?: number } = {},
): TestCheckpoint {
  const dir = mkdtempSync(join(tmpdir(), `kv-lens-${family}-`));
  makeCheckpoint({ family, outDir: dir, dims, ...options });
  const ckpt = openCheckpoint(dir);
  return {
    dir,
    ckpt,
    dispose: () => {
      ckpt.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
