/**
 * Where a model's calibration lives, and reading it back.
 *
 * The calibration folder is `<modelDir>/calibration/` when the model folder is writable (so the
 * calibration travels with the model, as the bundled demo model's does), else
 * `<cache>/calibration/<sha256 of the checkpoint files>/` with <cache> = $KV_LENS_CACHE_DIR or
 * ~/.cache/kv-lens (a read-only model folder, e.g. a shared or packaged one). Reading looks in
 * the model folder first, then in the cache folder.
 *
 * Files: heads.json ({"0": [query heads of layer 0, best first], ...}: the format
 * `inspect --heads` reads), head-scores.json (raw scores and probe settings), layer-scores.json
 * ({"avg_score": [e_1..e_L], ...settings}).
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KvLensError } from '../../../app/errors';
import type { Calibration } from '../../../app/kv/kept-positions';
import { openCheckpoint } from '../../../native-models/checkpoint/open-checkpoint';
import { defaultCacheDir, FILE_HASHES } from '../../../native-models/onnx/graph-cache';
import { hashCheckpointFiles } from '../../../native-models/onnx/hash-checkpoint';
import { parseLayerScores } from '../kv/budgets/layer-scores';

export const HEADS_FILE = 'heads.json';
export const HEAD_SCORES_FILE = 'head-scores.json';
export const LAYER_SCORES_FILE = 'layer-scores.json';

export interface CalibrationFolderOptions {
  /** Cache root (default $KV_LENS_CACHE_DIR or ~/.cache/kv-lens). */
  cacheDir?: string;
  /** sha256 of the checkpoint files, when the caller has it (else computed when needed). */
  checkpointHash?: string;
}

export interface CalibrationFolder {
  dir: string;
  /** 'model': inside the model folder; 'cache': the per-checkpoint folder in the cache. */
  where: 'model' | 'cache';
}

/** `<modelDir>/calibration`, whether or not it exists. */
export function modelCalibrationDir(modelDir: string): string {
  return join(modelDir, 'calibration');
}

async function cacheCalibrationDir(modelDir: string, o: CalibrationFolderOptions): Promise<string> {
  let hash = o.checkpointHash;
  if (!hash) {
    const ckpt = openCheckpoint(modelDir);
    try {
      hash = await hashCheckpointFiles(ckpt.files, undefined, {
        cacheFile: join(o.cacheDir ?? defaultCacheDir(), FILE_HASHES),
      });
    } finally {
      ckpt.dispose();
    }
  }
  return join(o.cacheDir ?? defaultCacheDir(), 'calibration', hash);
}

/** The folder calibration is written to (created): the model's own when writable. */
export async function calibrationDirForWriting(
  modelDir: string,
  o: CalibrationFolderOptions = {},
): Promise<CalibrationFolder> {
  const own = modelCalibrationDir(modelDir);
  try {
    mkdirSync(own, { recursive: true });
    accessSync(own, constants.W_OK);
    return { dir: own, where: 'model' };
  } catch {
    const dir = await cacheCalibrationDir(modelDir, o);
    mkdirSync(dir, { recursive: true });
    return { dir, where: 'cache' };
  }
}

export interface LoadedCalibration extends Calibration {
  dir: string;
  where: 'model' | 'cache';
  /** The files the calibration was read from. */
  files: string[];
}

/**
 * The model's calibration (heads and/or layer scores), or undefined when there is none in the
 * model folder nor in the cache. Layer scores are L1-normalised. A malformed file throws
 * KvLensError('corrupt') naming it.
 */
export async function loadCalibration(
  modelDir: string,
  o: CalibrationFolderOptions = {},
): Promise<LoadedCalibration | undefined> {
  const own = readFolder(modelCalibrationDir(modelDir), 'model');
  if (own) return own;
  if (!existsSync(modelDir)) return undefined;
  return readFolder(await cacheCalibrationDir(modelDir, o), 'cache');
}

function readFolder(dir: string, where: 'model' | 'cache'): LoadedCalibration | undefined {
  const headsPath = join(dir, HEADS_FILE);
  const layersPath = join(dir, LAYER_SCORES_FILE);
  const out: LoadedCalibration = { dir, where, files: [] };
  if (existsSync(headsPath)) {
    out.heads = parseHeads(readJson(headsPath), headsPath);
    out.files.push(headsPath);
  }
  if (existsSync(layersPath)) {
    try {
      out.layerScores = parseLayerScores(readJson(layersPath), layersPath);
    } catch (err) {
      throw new KvLensError(
        'corrupt',
        `${(err as Error).message} Rerun \`calibrate\` or delete the file.`,
      );
    }
    out.files.push(layersPath);
  }
  return out.files.length > 0 ? out : undefined;
}

/**
 * The heads ranking a layers-only run scores with: heads.json in the folder being written, else
 * the model's calibration (model folder, then cache), else undefined (all heads).
 */
export async function existingHeads(
  dir: string,
  modelDir: string,
  o: CalibrationFolderOptions = {},
): Promise<Record<string, number[]> | undefined> {
  const own = join(dir, HEADS_FILE);
  if (existsSync(own)) return parseHeads(readJson(own), own);
  return (await loadCalibration(modelDir, o))?.heads;
}

/** Validates {"0": [h, ...], ...}: integer heads, no repeats. */
export function parseHeads(raw: unknown, where: string): Record<string, number[]> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new KvLensError(
      'corrupt',
      `${where} must be an object {"0": [heads of layer 0, best first], ...}.`,
    );
  }
  const heads: Record<string, number[]> = {};
  for (const [layer, list] of Object.entries(raw as Record<string, unknown>)) {
    const ok =
      /^\d+$/.test(layer) &&
      Array.isArray(list) &&
      list.every((h) => Number.isInteger(h) && (h as number) >= 0) &&
      new Set(list).size === list.length;
    if (!ok) {
      throw new KvLensError(
        'corrupt',
        `${where}: layer "${layer}" must list distinct head numbers (>= 0). Rerun \`calibrate\` or delete the file.`,
      );
    }
    heads[layer] = list as number[];
  }
  return heads;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new KvLensError('corrupt', `${path} is not valid JSON (${(err as Error).message}).`);
  }
}
