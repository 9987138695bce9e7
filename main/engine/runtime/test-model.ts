/**
 * Test support: a random-weight checkpoint of one family written to a temp folder, its graph
 * built into a temp cache, a CPU session on it, and the float64 reference's view of the same
 * weights. Tests only; keeps dimensions tiny.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelFamily, ModelSpec } from '../../../app/model/model-spec';
import type { Checkpoint } from '../../../native-models/checkpoint/checkpoint';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { openCheckpoint } from '../../../native-models/checkpoint/open-checkpoint';
import type { CheckpointDims } from '../../../native-models/checkpoint/random-spec';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import type { ReferenceKvCache } from '../../../native-models/reference/reference-cache';
import type { ModelSession } from './model-session';
import { openModelSession } from './open-model-session';

export interface TestModel {
  dir: string;
  cacheDir: string;
  spec: ModelSpec;
  onnxPath: string;
  session: ModelSession;
  /** The checkpoint, open for the reference forward pass. */
  checkpoint: Checkpoint;
  dispose(): Promise<void>;
}

/** Writes a random checkpoint, builds its graph in a temp cache and opens a CPU session. */
export async function openTestModel(
  family: ModelFamily,
  dims: Partial<CheckpointDims> = {},
  seed = 1,
): Promise<TestModel> {
  const root = mkdtempSync(join(tmpdir(), `kv-lens-engine-${family}-`));
  const dir = join(root, 'model');
  const cacheDir = join(root, 'cache');
  makeCheckpoint({ family, outDir: dir, seed, dims });
  const { session, onnxPath, manifest } = await openModelSession(dir, {
    cacheDir,
    onProgress: () => {},
  });
  const checkpoint = openCheckpoint(dir);
  return {
    dir,
    cacheDir,
    spec: manifest.spec,
    onnxPath,
    session,
    checkpoint,
    async dispose() {
      await session.dispose();
      checkpoint.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Greedy tokens of the float64 reference, continuing from `cache` after `logits`. */
export function referenceGreedy(
  checkpoint: Checkpoint,
  logits: Float64Array,
  cache: ReferenceKvCache,
  steps: number,
): { tokens: number[]; logits: Float64Array[] } {
  const tokens: number[] = [];
  const all: Float64Array[] = [logits];
  let current = { logits, cache };
  for (let i = 0; i < steps; i++) {
    const t = argmax64(current.logits);
    tokens.push(t);
    if (i === steps - 1) break;
    current = referenceForwardWithCache(checkpoint, [t], { cache: current.cache });
    all.push(current.logits);
  }
  return { tokens, logits: all };
}

export function argmax64(x: Float64Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/** max |a - b| / max |b|: the relative error the correctness tests bound by 1e-4. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / scale;
}
