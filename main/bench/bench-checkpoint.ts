/**
 * Random checkpoints with real model dimensions for the benchmarks, written once into the graph
 * cache folder and reused by every later run (writing a 0.5B-shaped one takes a while).
 */
import { existsSync } from 'node:fs';
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
 */
export function benchCheckpoint(
  model: BenchModel,
  log: (m: string) => void,
  onProgress?: (m: string) => void,
): string {
  const dir = join(defaultCacheDir(), 'bench-models', model.name);
  if (!existsSync(join(dir, 'config.json'))) {
    log(`writing random checkpoint to ${dir} (once)`);
    makeCheckpoint({ family: 'qwen2', outDir: dir, seed: 1, dims: model.dims, onProgress });
  }
  return dir;
}
