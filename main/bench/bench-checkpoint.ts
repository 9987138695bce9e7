/**
 * Random checkpoints with real model dimensions for the benchmarks, written once into the graph
 * cache folder and reused by every later run (writing a 0.5B-shaped one takes a while).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeCheckpoint } from '../../native-models/checkpoint/make-checkpoint';
import type { CheckpointDims } from '../../native-models/checkpoint/random-spec';
import { defaultCacheDir } from '../../native-models/onnx/graph-cache';

export interface BenchModel {
  name: string;
  dims: Partial<CheckpointDims>;
}

/**
 * The folder of `model`'s random checkpoint, writing it first if it is not there yet.
 *
 * `log` hears that it is being written; `onProgress`, when given, hears the writer's progress.
 * The folder is written under a temporary name and renamed when complete, so a run killed midway
 * leaves no folder that looks finished.
 */
export function benchCheckpoint(
  model: BenchModel,
  log: (m: string) => void,
  onProgress?: (m: string) => void,
): string {
  const dir = join(defaultCacheDir(), 'bench-models', model.name);
  if (!existsSync(join(dir, 'config.json'))) {
    log(`writing random checkpoint to ${dir} (once)`);
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    makeCheckpoint({ family: 'qwen2', outDir: partial, seed: 1, dims: model.dims, onProgress });
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return dir;
}
