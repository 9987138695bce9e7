/**
 * The models the app knows: the bundled demo model (default) plus folders the user imported.
 * Imported folders are remembered in models.json in the user-data folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { KvLensError } from '../../app/errors';
import type { CalibrationState, ModelInfo } from '../../app/ipc/views';
import { openCheckpoint } from '../../native-models/checkpoint/open-checkpoint';
import { parseModelConfig } from '../../native-models/checkpoint/parse-config';

/** Where calibration output lives inside a model folder (heads.json, layer-scores.json). */
export const CALIBRATION_DIR = 'calibration';

export class ModelRegistry {
  private readonly imported: string[];
  private readonly running = new Set<string>();
  private readonly failed = new Map<string, string>();
  /** Calibrated in this run (the files may sit in the cache when the model folder is read-only). */
  private readonly calibrated = new Set<string>();

  constructor(
    private readonly demoDir: string,
    private readonly dataDir: string | null,
  ) {
    this.imported = this.loadImported();
  }

  /** Every known model whose folder still has a readable config.json, demo first. */
  list(): ModelInfo[] {
    const out: ModelInfo[] = [];
    for (const dir of [this.demoDir, ...this.imported]) {
      const info = this.describe(dir);
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
    if (abs !== resolve(this.demoDir) && !this.imported.includes(abs)) {
      this.imported.push(abs);
      this.saveImported();
    }
    const info = this.describe(abs);
    if (!info) throw new KvLensError('invalid-checkpoint', `${abs}/config.json cannot be read.`);
    return info;
  }

  setCalibrating(id: string, running: boolean, error?: string): void {
    if (running) this.running.add(id);
    else this.running.delete(id);
    if (error) this.failed.set(id, error);
    else if (!running) this.failed.delete(id);
  }

  markCalibrated(id: string): void {
    this.calibrated.add(id);
  }

  private describe(dir: string): ModelInfo | null {
    const configPath = join(dir, 'config.json');
    if (!existsSync(configPath)) return null;
    let spec;
    try {
      spec = parseModelConfig(JSON.parse(readFileSync(configPath, 'utf8')) as unknown, configPath);
    } catch {
      return null;
    }
    const id = modelId(dir);
    const cal = this.calibration(id, dir);
    const isDefault = resolve(dir) === resolve(this.demoDir);
    return {
      id,
      name: isDefault ? 'Demo model (bundled)' : basename(dir),
      dir: resolve(dir),
      family: spec.family,
      numLayers: spec.numLayers,
      numHeads: spec.numHeads,
      numKvHeads: spec.numKvHeads,
      contextLength: spec.maxPositionEmbeddings,
      isDefault,
      calibration: cal.state,
      calibrationNote: cal.note,
    };
  }

  private calibration(id: string, dir: string): { state: CalibrationState; note: string | null } {
    if (this.running.has(id)) return { state: 'running', note: null };
    const failed = this.failed.get(id);
    if (failed) return { state: 'failed', note: failed };
    const heads = existsSync(join(dir, CALIBRATION_DIR, 'heads.json'));
    const layers = existsSync(join(dir, CALIBRATION_DIR, 'layer-scores.json'));
    if ((heads && layers) || this.calibrated.has(id)) return { state: 'calibrated', note: null };
    const missing = [heads ? null : 'retrieval heads', layers ? null : 'layer errors'].filter(
      Boolean,
    );
    return {
      state: 'missing',
      note: `Not calibrated (${missing.join(' and ')} missing): CompressKV runs in its fallback. Run "Calibrate" to find them.`,
    };
  }

  private loadImported(): string[] {
    if (this.dataDir === null) return [];
    try {
      const list = JSON.parse(readFileSync(join(this.dataDir, 'models.json'), 'utf8')) as unknown;
      return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
    } catch {
      return [];
    }
  }

  private saveImported(): void {
    if (this.dataDir === null) return;
    mkdirSync(this.dataDir, { recursive: true });
    const path = join(this.dataDir, 'models.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(this.imported, null, 2));
    renameSync(`${path}.tmp`, path);
  }
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
