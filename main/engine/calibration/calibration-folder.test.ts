import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { calibrationDirForWriting, loadCalibration, parseHeads } from './calibration-folder';

let root: string;
let model: string;
const cacheDir = () => join(root, 'cache');
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kv-lens-calfolder-'));
  model = join(root, 'model');
  makeCheckpoint({ family: 'llama', outDir: model, seed: 2 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('calibration folder', () => {
  it('is <model>/calibration when writable; loads what is there', async () => {
    expect(await loadCalibration(model, { cacheDir: cacheDir() })).toBeUndefined();
    const f = await calibrationDirForWriting(model, { cacheDir: cacheDir() });
    expect(f).toEqual({ dir: join(model, 'calibration'), where: 'model' });
    writeFileSync(join(f.dir, 'heads.json'), '{"0":[1,0,2,3],"1":[3,2,1,0]}');
    writeFileSync(join(f.dir, 'layer-scores.json'), '{"avg_score":[1,3]}');
    const cal = await loadCalibration(model, { cacheDir: cacheDir() });
    expect(cal?.heads).toEqual({ '0': [1, 0, 2, 3], '1': [3, 2, 1, 0] });
    expect(cal?.layerScores).toEqual([0.25, 0.75]);
    expect(cal?.where).toBe('model');
    rmSync(f.dir, { recursive: true });
  });

  it('falls back to a per-checkpoint cache folder when the model folder cannot hold it', async () => {
    // A file where the folder should be makes the model folder unusable even for root.
    const blocked = join(root, 'blocked');
    makeCheckpoint({ family: 'llama', outDir: blocked, seed: 2 });
    writeFileSync(join(blocked, 'calibration'), 'not a folder');
    const f = await calibrationDirForWriting(blocked, { cacheDir: cacheDir() });
    expect(f.where).toBe('cache');
    expect(f.dir).toMatch(/cache[/\\]calibration[/\\][0-9a-f]{64}$/);
    writeFileSync(join(f.dir, 'layer-scores.json'), '[0.5, 0.5]');
    const cal = await loadCalibration(blocked, { cacheDir: cacheDir() });
    expect(cal?.where).toBe('cache');
    expect(cal?.layerScores).toEqual([0.5, 0.5]);
    expect(cal?.heads).toBeUndefined();
  });

  it('names a malformed file', async () => {
    const bad = join(root, 'bad');
    mkdirSync(join(bad, 'calibration'), { recursive: true });
    writeFileSync(join(bad, 'calibration', 'heads.json'), '{"0":[1,1]}');
    await expect(loadCalibration(bad)).rejects.toThrow(/heads\.json: layer "0" must list distinct/);
    writeFileSync(join(bad, 'calibration', 'heads.json'), '{');
    await expect(loadCalibration(bad)).rejects.toThrow(/not valid JSON/);
    expect(() => parseHeads([1, 2], 'x')).toThrow(/must be an object/);
  });
});
