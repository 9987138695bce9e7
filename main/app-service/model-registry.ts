/**
 * The models the app knows: the bundled demo model (default) plus folders the user imported,
 * kept in the library's models table with their calibration state, so both survive a restart
 * (a calibration written to the cache, for a read-only model folder, included).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { KvLensError } from '../../app/errors';
import type { CalibrationState, ModelInfo } from '../../app/ipc/views';
import type { ModelRecord } from '../../app/store/records';
import { openCheckpoint } from '../../native-models/checkpoint/open-checkpoint';
import { parseModelConfig } from '../../native-models/checkpoint/parse-config';
import {
  HEADS_FILE,
  LAYER_SCORES_FILE,
  modelCalibrationDir,
} from '../engine/calibration/calibration-folder';
import type { ModelRepository } from '../store/repositories/model-repository';
import { importModelsJson } from './import-models-json';

export const DEMO_MODEL_NAME = 'Demo model (bundled)';

/** Shown beside the demo model in the picker, so nobody takes it for a general assistant. */
export const DEMO_MODEL_DESCRIPTION =
  'Demo model: trained on synthetic documents to look facts up, not a general assistant';

export class ModelRegistry {
  private readonly demoId: string;
  /** State before a running calibration, restored when it is cancelled. */
  private readonly before = new Map<string, Pick<ModelRecord, 'calibration' | 'calibrationNote'>>();

  /**
   * Registers the demo model as the default row (forgetting a demo row from another install
   * location) and, once, the folders an older KV Lens listed in `<dataDir>/models.json`.
   */
  constructor(
    private readonly demoDir: string,
    private readonly rows: ModelRepository,
    dataDir: string | null,
  ) {
    this.demoId = modelId(demoDir);
    for (const old of rows.list()) {
      if (old.isDefault && old.id !== this.demoId) rows.delete(old.id);
    }
    rows.upsert({ id: this.demoId, name: DEMO_MODEL_NAME, dir: resolve(demoDir), isDefault: true });
    if (dataDir !== null) {
      importModelsJson(dataDir, (dir) => {
        if (modelId(dir) !== this.demoId) this.addRow(dir);
      });
    }
  }

  /** Every known model whose folder still has a readable config.json, demo first. */
  list(): ModelInfo[] {
    const out: ModelInfo[] = [];
    for (const row of this.rows.list()) {
      const info = describe(row);
      if (info) out.push(info);
    }
    return out;
  }

  /** The model by id; KvLensError('not-found') lists the known ids. */
  get(id: string): ModelInfo {
    const found = this.list().find((m) => m.id === id);
    if (!found) {
      const known = this.list().map((m) => `${m.id} (${m.name})`);
      throw new KvLensError(
        'not-found',
        `No model "${id}". Known models: ${known.length > 0 ? known.join(', ') : 'none; import a model folder'}.`,
      );
    }
    return found;
  }

  /** The model to use when settings name none (the demo model when present). */
  resolve(id: string | null): ModelInfo {
    if (id !== null) return this.get(id);
    const first = this.list()[0];
    if (!first) {
      throw new KvLensError(
        'not-found',
        `The bundled demo model is missing (${this.demoDir}) and no model was imported. Use "Import model folder" to add a Hugging Face model folder.`,
      );
    }
    return first;
  }

  /** Validates a Hugging Face folder completely (config, tokenizer, every tensor) and adds it. */
  import(dir: string): ModelInfo {
    const abs = resolve(dir);
    const checkpoint = openCheckpoint(abs);
    checkpoint.dispose();
    const id = modelId(abs);
    if (id !== this.demoId) this.addRow(abs);
    const info = describe(this.rows.get(id));
    if (!info) throw new KvLensError('invalid-checkpoint', `${abs}/config.json cannot be read.`);
    return info;
  }

  /**
   * Records a calibration starting (running), failing (with the message) or ending without a
   * result (cancelled: back to what the files say). Stored, so a crash mid-run shows as failed.
   */
  setCalibrating(id: string, running: boolean, error?: string): void {
    if (running) {
      const row = this.rows.get(id);
      if (row.calibration !== 'running') this.before.set(id, row);
      this.rows.setCalibration(id, 'running');
      return;
    }
    const prior = this.before.get(id);
    this.before.delete(id);
    if (error) this.rows.setCalibration(id, 'failed', error);
    else this.rows.setCalibration(id, prior?.calibration ?? 'missing', prior?.calibrationNote);
  }

  /** Records a finished calibration (its files may sit in the cache, not the model folder). */
  markCalibrated(id: string): void {
    this.before.delete(id);
    this.rows.setCalibration(id, 'calibrated');
  }

  private addRow(dir: string): void {
    const abs = resolve(dir);
    const id = modelId(abs);
    // Re-importing keeps the stored calibration state (upsert leaves it alone).
    this.rows.upsert({ id, name: basename(abs), dir: abs, isDefault: false });
  }
}

function describe(row: ModelRecord): ModelInfo | null {
  const configPath = join(row.dir, 'config.json');
  if (!existsSync(configPath)) return null;
  let spec;
  try {
    spec = parseModelConfig(JSON.parse(readFileSync(configPath, 'utf8')) as unknown, configPath);
  } catch {
    return null;
  }
  const cal = calibration(row);
  const info: ModelInfo = {
    id: row.id,
    name: row.name,
    dir: row.dir,
    family: spec.family,
    numLayers: spec.numLayers,
    numHeads: spec.numHeads,
    numKvHeads: spec.numKvHeads,
    contextLength: spec.maxPositionEmbeddings,
    isDefault: row.isDefault,
    calibration: cal.state,
    calibrationNote: cal.note,
  };
  // Only the demo model's row is the default one (the constructor drops any other).
  if (row.isDefault) info.description = DEMO_MODEL_DESCRIPTION;
  return info;
}

/**
 * The stored state, except that calibration files in the model folder (written by the CLI's
 * `calibrate`, or shipped with the model) count as calibrated unless a run is going on.
 */
function calibration(row: ModelRecord): { state: CalibrationState; note: string | null } {
  if (row.calibration === 'running') return { state: 'running', note: null };
  const dir = modelCalibrationDir(row.dir);
  const heads = existsSync(join(dir, HEADS_FILE));
  const layers = existsSync(join(dir, LAYER_SCORES_FILE));
  if ((heads && layers) || row.calibration === 'calibrated') {
    return { state: 'calibrated', note: null };
  }
  if (row.calibration === 'failed') return { state: 'failed', note: row.calibrationNote };
  const missing = [heads ? null : 'retrieval heads', layers ? null : 'layer errors'].filter(
    Boolean,
  );
  return {
    state: 'missing',
    note: `Not calibrated (${missing.join(' and ')} missing): CompressKV runs in its fallback. Run "Calibrate" to find them.`,
  };
}

/** Stable id of a model folder: readable prefix plus a hash of its absolute path. */
export function modelId(dir: string): string {
  const abs = resolve(dir);
  const slug =
    basename(abs)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 40) || 'model';
  return `${slug}-${createHash('sha256').update(abs).digest('hex').slice(0, 8)}`;
}
