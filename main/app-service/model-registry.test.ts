import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCheckpoint } from '../../native-models/checkpoint/make-checkpoint';
import { openStore, type Store } from '../store/open-store';
import { useTempDirs } from '../store/testing/temp-dirs';
import { MODELS_JSON, MODELS_JSON_IMPORTED } from './import-models-json';
import { DEMO_MODEL_DESCRIPTION, DEMO_MODEL_NAME, ModelRegistry, modelId } from './model-registry';

const tempDir = useTempDirs();

/** A data folder, a demo model and an importable model, all tiny. */
function setup(): { data: string; demo: string; other: string } {
  const root = tempDir();
  const dims = { numLayers: 1 };
  const demo = makeCheckpoint({ family: 'llama', outDir: join(root, 'demo'), seed: 1, dims }).dir;
  const other = makeCheckpoint({ family: 'qwen2', outDir: join(root, 'other'), seed: 2, dims }).dir;
  return { data: join(root, 'data'), demo, other };
}

/** Opens the library and a registry over it, as AppService does at start-up. */
function open(data: string, demo: string): { store: Store; models: ModelRegistry } {
  const store = openStore(join(data, 'kv-lens.sqlite'));
  return { store, models: new ModelRegistry(demo, store.models, data) };
}

describe('ModelRegistry', () => {
  it('keeps imported folders in the library across restarts, the demo model first', () => {
    const { data, demo, other } = setup();
    const first = open(data, demo);
    expect(first.models.list().map((m) => m.name)).toEqual([DEMO_MODEL_NAME]);
    expect(DEMO_MODEL_DESCRIPTION).toBe(
      'Demo model: trained on synthetic documents to look facts up, not a general assistant',
    );
    expect(first.models.resolve(null).description).toBe(DEMO_MODEL_DESCRIPTION);
    const imported = first.models.import(other);
    expect(imported).toMatchObject({ name: 'other', family: 'qwen2', isDefault: false });
    expect(imported.description).toBeUndefined();
    // Importing the demo folder itself keeps it the demo model, description included.
    expect(first.models.import(demo).description).toBe(DEMO_MODEL_DESCRIPTION);
    first.models.import(other);
    first.store.dispose();

    const again = open(data, demo);
    expect(again.models.list().map((m) => [m.id, m.isDefault])).toEqual([
      [modelId(demo), true],
      [modelId(other), false],
    ]);
    expect(again.models.resolve(null).id).toBe(modelId(demo));
    expect(again.models.get(modelId(other)).dir).toBe(other);
    expect(again.models.list().map((m) => m.description)).toEqual([
      DEMO_MODEL_DESCRIPTION,
      undefined,
    ]);
    expect(() => again.models.get('nope')).toThrow(/Known models: .*other/);
    again.store.dispose();
    expect(existsSync(join(data, MODELS_JSON))).toBe(false);
  });

  it('imports an older models.json once and renames it', () => {
    const { data, demo, other } = setup();
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, MODELS_JSON), JSON.stringify([other, demo, 42, '/gone/model']));
    const first = open(data, demo);
    expect(first.models.list().map((m) => m.id)).toEqual([modelId(demo), modelId(other)]);
    // A listed folder that is gone is remembered but not shown (it may be on a detached disk).
    expect(first.store.models.list().map((r) => r.dir)).toContain('/gone/model');
    expect(existsSync(join(data, MODELS_JSON))).toBe(false);
    expect(existsSync(join(data, MODELS_JSON_IMPORTED))).toBe(true);
    first.models.setCalibrating(modelId(other), true);
    first.models.markCalibrated(modelId(other));
    first.store.dispose();

    // Written again by an old version: a second import must not reset what the store knows.
    writeFileSync(join(data, MODELS_JSON), JSON.stringify([other]));
    const again = open(data, demo);
    expect(again.models.get(modelId(other)).calibration).toBe('calibrated');
    again.store.dispose();
  });

  it('leaves an unreadable models.json in place', () => {
    const { data, demo } = setup();
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, MODELS_JSON), '{not json');
    const { store, models } = open(data, demo);
    expect(models.list()).toHaveLength(1);
    expect(existsSync(join(data, MODELS_JSON))).toBe(true);
    store.dispose();
  });

  it('stores calibration state: finished, failed, cancelled and cut off by a crash', () => {
    const { data, demo, other } = setup();
    const first = open(data, demo);
    const id = first.models.import(other).id;
    expect(first.models.get(id)).toMatchObject({ calibration: 'missing' });
    expect(first.models.get(id).calibrationNote).toMatch(/retrieval heads and layer errors/);

    first.models.setCalibrating(id, true);
    expect(first.models.get(id).calibration).toBe('running');
    first.models.setCalibrating(id, false, 'Out of memory at probe 3 of 8.');
    expect(first.models.get(id)).toMatchObject({
      calibration: 'failed',
      calibrationNote: 'Out of memory at probe 3 of 8.',
    });
    // Written to the cache (read-only model folder): only the store remembers it.
    first.models.setCalibrating(id, true);
    first.models.markCalibrated(id);
    first.models.setCalibrating(id, true);
    first.models.setCalibrating(id, false); // cancelled: back to calibrated
    expect(first.models.get(id).calibration).toBe('calibrated');
    first.models.setCalibrating(modelId(demo), true);
    first.store.dispose(); // the app stops mid-calibration

    const again = open(data, demo);
    expect(again.models.get(id).calibration).toBe('calibrated');
    expect(again.models.get(modelId(demo))).toMatchObject({ calibration: 'failed' });
    expect(again.models.get(modelId(demo)).calibrationNote).toMatch(/interrupted.*Calibrate/);
    again.store.dispose();
  });

  it('counts calibration files in the model folder as calibrated', () => {
    const { data, demo } = setup();
    mkdirSync(join(demo, 'calibration'));
    writeFileSync(join(demo, 'calibration', 'heads.json'), '{"0":[0]}');
    const { store, models } = open(data, demo);
    expect(models.get(modelId(demo)).calibrationNote).toMatch(/\(layer errors missing\)/);
    writeFileSync(join(demo, 'calibration', 'layer-scores.json'), '{"avg_score":[1]}');
    expect(models.get(modelId(demo))).toMatchObject({ calibration: 'calibrated' });
    store.dispose();
  });

  it('forgets the demo model of another install location', () => {
    const { data, demo, other } = setup();
    const first = open(data, other); // as if the bundled model had lived at `other`
    first.store.dispose();
    const again = open(data, demo);
    expect(again.store.models.list().map((r) => r.id)).toEqual([modelId(demo)]);
    again.store.dispose();
  });
});
