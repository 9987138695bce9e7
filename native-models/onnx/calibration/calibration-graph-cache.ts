/**
 * The on-disk cache of calibration graphs, next to the model graphs: one folder per checkpoint
 * hash, main builder version and calibration graph version under <cache>/calibration-graphs/.
 * Built into a temp folder and renamed into place when complete, like the model graph cache.
 */
import { readFileSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openCheckpoint } from '../../checkpoint/open-checkpoint';
import { GRAPH_BUILDER_VERSION, type ProgressCallback } from '../build-model-graph';
import { defaultCacheDir, FILE_HASHES } from '../graph-cache';
import { hashCheckpointFiles } from '../hash-checkpoint';
import { stderrProgressPrinter } from '../progress-printer';
import { buildCalibrationGraphs } from './build-calibration-graphs';
import {
  ATTENTION_PROBE_DATA,
  CALIBRATION_GRAPHS_VERSION,
  CALIBRATION_MANIFEST_FILE,
  CALIBRATION_MODEL_DATA,
  type CalibrationGraphsManifest,
} from './calibration-contract';

export interface CalibrationGraphs {
  modelPath: string;
  probePath: string;
  manifest: CalibrationGraphsManifest;
  built: boolean;
}

function readEntry(dir: string, hash: string): CalibrationGraphsManifest | null {
  try {
    const m = JSON.parse(
      readFileSync(join(dir, CALIBRATION_MANIFEST_FILE), 'utf8'),
    ) as CalibrationGraphsManifest;
    if (m.version !== CALIBRATION_GRAPHS_VERSION || m.builderVersion !== GRAPH_BUILDER_VERSION)
      return null;
    if (m.checkpointHash !== hash) return null;
    for (const f of [m.modelFile, m.probeFile, CALIBRATION_MODEL_DATA, ATTENTION_PROBE_DATA]) {
      if (statSync(join(dir, f)).size === 0) return null;
    }
    return m;
  } catch {
    return null;
  }
}

/** The calibration graphs of the model folder `modelDir`, built and cached on first use. */
export async function buildOrLoadCalibrationGraphs(
  modelDir: string,
  options: { cacheDir?: string; onProgress?: ProgressCallback } = {},
): Promise<CalibrationGraphs> {
  const onProgress = options.onProgress ?? stderrProgressPrinter();
  const cacheRoot = options.cacheDir ?? defaultCacheDir();
  const root = join(cacheRoot, 'calibration-graphs');
  const ckpt = openCheckpoint(modelDir);
  try {
    const hash = await hashCheckpointFiles(ckpt.files, onProgress, {
      cacheFile: join(cacheRoot, FILE_HASHES),
    });
    const entry = join(root, `${hash}-b${GRAPH_BUILDER_VERSION}-c${CALIBRATION_GRAPHS_VERSION}`);
    const paths = (m: CalibrationGraphsManifest, built: boolean): CalibrationGraphs => ({
      modelPath: join(entry, m.modelFile),
      probePath: join(entry, m.probeFile),
      manifest: m,
      built,
    });
    const cached = readEntry(entry, hash);
    if (cached) return paths(cached, false);
    const tmp = `${entry}.tmp-${process.pid}-${Date.now()}`;
    try {
      const manifest = await buildCalibrationGraphs(ckpt, tmp, onProgress, {
        checkpointHash: hash,
      });
      await rm(entry, { recursive: true, force: true });
      await rename(tmp, entry);
      return paths(manifest, true);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      const raced = readEntry(entry, hash);
      if (raced) return paths(raced, false);
      throw err;
    }
  } finally {
    ckpt.dispose();
  }
}
