import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../app/errors';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { calibrate, type CalibrateOptions } from './calibrate';
import { loadCalibration } from './calibration-folder';
import type { CalibrationProgress } from './progress-clock';

let root: string;
let model: string;
const L = 2;
const H = 4;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kv-lens-calibrate-'));
  model = join(root, 'model');
  makeCheckpoint({ family: 'llama', outDir: model, seed: 5, dims: { numLayers: L, numHeads: H } });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A random model answers nothing correctly: minRecall -1 keeps every probe to test the pipeline.
const base = (): CalibrateOptions => ({
  lengths: [128, 160],
  depths: [0, 1],
  maxNewTokens: 4,
  minRecall: -1,
  cacheDir: join(root, 'cache'),
  onBuildProgress: () => {},
});
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

describe('calibrate on a tiny random checkpoint', () => {
  it('writes heads.json, head-scores.json and layer-scores.json with valid contents', async () => {
    const progress: CalibrationProgress[] = [];
    const out = await calibrate(model, { ...base(), onProgress: (p) => progress.push(p) });
    expect(out.where).toBe('model');
    expect(out.files.map((f) => f.slice(out.dir.length + 1)).sort()).toEqual([
      'head-scores.json',
      'heads.json',
      'layer-scores.json',
    ]);
    const heads = readJson(join(out.dir, 'heads.json')) as Record<string, number[]>;
    expect(Object.keys(heads)).toEqual(['0', '1']);
    for (const list of Object.values(heads)) expect([...list].sort()).toEqual([0, 1, 2, 3]);
    const layers = readJson(join(out.dir, 'layer-scores.json'));
    const avg = layers.avg_score as number[];
    expect(avg).toHaveLength(L);
    expect(avg.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(avg.every((e) => e > 0)).toBe(true);
    expect(layers.budget).toBe(32);
    const scores = readJson(join(out.dir, 'head-scores.json'));
    expect(scores.counted).toBe(4);
    expect(scores.note).toMatch(/pipeline/);
    expect((scores.srh as number[][]).map((r) => r.length)).toEqual([H, H]);
    expect(progress.filter((p) => p.phase === 'heads').map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.every((p) => !p.resumed && p.total === 4)).toBe(true);
    // What CompressKV loads.
    const cal = await loadCalibration(model, { cacheDir: join(root, 'cache') });
    expect(cal?.heads).toEqual(heads);
    expect(cal?.layerScores).toEqual(avg);
  });

  it('resumes: a rerun skips every finished probe and writes the same scores', async () => {
    const before = readFileSync(join(model, 'calibration', 'layer-scores.json'), 'utf8');
    const progress: CalibrationProgress[] = [];
    await calibrate(model, { ...base(), onProgress: (p) => progress.push(p) });
    expect(progress).toHaveLength(8);
    expect(progress.every((p) => p.resumed)).toBe(true);
    expect(readFileSync(join(model, 'calibration', 'layer-scores.json'), 'utf8')).toBe(before);
  });

  it("layers only: scores with the model's existing heads.json, and without one says it used all heads", async () => {
    const outDir = join(root, 'layers-only');
    const out = await calibrate(model, { ...base(), what: 'layers', outDir, maxProbes: 1 });
    expect(out.files).toEqual([join(outDir, 'layer-scores.json')]);
    expect(readJson(out.files[0]!).heads).toMatch(/semantic retrieval heads/);
    const bare = join(root, 'bare');
    makeCheckpoint({ family: 'llama', outDir: bare, seed: 6, dims: { numLayers: L, numHeads: H } });
    const res = await calibrate(bare, { ...base(), what: 'layers', maxProbes: 1 });
    expect(readJson(res.files[0]!).heads).toMatch(/all heads/);
    expect(res.warnings.join(' ')).toMatch(/no retrieval-head calibration/);
  });

  it('stops on an aborted signal', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      calibrate(model, { ...base(), seed: 9, what: 'heads', signal: ctl.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
  });

  it('with the spec threshold drops the wrong answers and refuses to rank, keeping the diagnosis', async () => {
    const outDir = join(root, 'strict');
    await expect(
      calibrate(model, { ...base(), what: 'heads', minRecall: 0.5, maxProbes: 2, outDir }),
    ).rejects.toThrow(/No calibration probe was answered correctly/);
    const scores = readJson(join(outDir, 'head-scores.json'));
    expect(scores.counted).toBe(0);
    expect(scores.dropped).toBe(2);
    expect(existsSync(join(outDir, 'heads.json'))).toBe(false);
  });
});
