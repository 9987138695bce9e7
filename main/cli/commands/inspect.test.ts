import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Calibration, KvSelection } from '../../../app/kv/kept-positions';
import type { KvMethod } from '../../../app/kv/methods';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { openCheckpoint } from '../../../native-models/checkpoint/open-checkpoint';
import type { Checkpoint } from '../../../native-models/checkpoint/checkpoint';
import { filterReferenceCache } from '../../../native-models/reference/reference-cache';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import type { RetentionSummary } from '../../engine/document-session/compress-cache';
import { errorAwareBudgets } from '../../engine/kv/budgets/error-aware-budgets';
import type { ScoreInput } from '../../engine/kv/score-input';
import { selectKept } from '../../engine/kv/select-kept';
import { referenceGreedy } from '../../engine/runtime/test-model';
import { cliJson, runCli, type CliRun } from '../testing/run-cli';

type LayerJson = { budget: number; kept?: number[]; kvHeads?: { kept: number[] }[] };
interface InspectJson {
  budgets: number[];
  layers: LayerJson[];
  warnings: string[];
}
interface GenerateJson {
  tokens: number[];
  stats: {
    promptTokens: number;
    kvBytes: number;
    kvBytesFull: number;
    retention: RetentionSummary;
  };
}

const W = 8;
const L = 3;
// 90 prompt tokens: budgets of 24..60 really evict.
const prompt = Array.from({ length: 90 }, (_, i) => (i * 37 + 11) % 500);
const HEADS = { '0': [3, 1], '1': [2], '2': [0, 1, 2, 3] };
const LAYER_SCORES = { avg_score: [0.5, 0.2, 0.3] };

let root: string;
let modelDir: string;
let headsFile: string;
let scoresFile: string;
let ckpt: Checkpoint;
let reference: ReturnType<typeof referenceForwardWithCache>;

function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cacheDir: join(root, 'cache') });
}

async function ok<T>(...args: string[]): Promise<{ json: T; stderr: string }> {
  const run = await cli(...args, '--json');
  expect(run.code, run.stderr).toBe(0);
  return { json: cliJson<T>(run), stderr: run.stderr };
}

/** The policies' input built from the float64 reference (independent of the ONNX path). */
function referenceScores(): ScoreInput {
  const { numHeads: H, numKvHeads: G } = ckpt.spec;
  const T = prompt.length;
  const flat = (heads: Float64Array[]) => {
    const out = new Float32Array(H * T);
    heads.forEach((row, h) => out.set(row, h * T));
    return out;
  };
  return {
    H,
    G,
    T,
    layers: reference.attnScores.map((heads, l) => ({
      window: flat(heads),
      accumulated: flat(reference.attnScoresAll[l]!),
    })),
  };
}

function expectSameKept(out: InspectJson, expected: KvSelection) {
  expect(out.budgets).toEqual(expected.budgets);
  expect(out.layers.length).toBe(expected.layers.length);
  expected.layers.forEach((layer, l) => {
    const got = out.layers[l]!;
    expect(got.budget).toBe(expected.budgets[l]);
    if (layer.kind === 'shared') {
      expect(got.kvHeads).toBeUndefined();
      expect(got.kept).toEqual(Array.from(layer.kept));
    } else {
      expect(got.kept).toBeUndefined();
      expect(got.kvHeads).toEqual(layer.kvHeads.map((k) => ({ kept: Array.from(k) })));
    }
  });
}

const calibration: Calibration = { heads: HEADS, layerScores: LAYER_SCORES.avg_score };

describe('CLI: inspect and compressed generate', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kv-lens-cli-inspect-'));
    modelDir = join(root, 'model');
    makeCheckpoint({ family: 'llama', outDir: modelDir, seed: 5, dims: { numLayers: L } });
    headsFile = join(root, 'heads.json');
    scoresFile = join(root, 'layer-scores.json');
    writeFileSync(headsFile, JSON.stringify(HEADS));
    writeFileSync(scoresFile, JSON.stringify(LAYER_SCORES));
    ckpt = openCheckpoint(modelDir);
    const T = prompt.length;
    reference = referenceForwardWithCache(ckpt, prompt, {
      scoreRows: Array.from({ length: W }, (_, i) => T - W + i),
    });
  });
  afterAll(() => {
    ckpt?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const inspect = (method: KvMethod, budget: number, ...extra: string[]) =>
    ok<InspectJson>(
      'inspect',
      '--model',
      modelDir,
      '--tokens',
      prompt.join(','),
      '--method',
      method,
      '--budget',
      String(budget),
      ...extra,
    );

  it('per-KV-head methods print kvHeads, equal to the policy on reference scores', async () => {
    for (const [method, budget] of [
      ['snapkv', 30],
      ['h2o', 24],
    ] as const) {
      const { json } = await inspect(method, budget);
      expect(json.layers[0]!.kvHeads!.length).toBe(ckpt.spec.numKvHeads);
      expectSameKept(json, selectKept(method, referenceScores(), budget));
      expect(json.warnings).toEqual([]);
    }
  });

  it('--kept-tail keeps the last N prompt tokens in every KV head and ranks the rest', async () => {
    const { json } = await inspect('snapkv', 30, '--kept-tail', '20');
    const T = prompt.length;
    for (const layer of json.layers) {
      for (const head of layer.kvHeads!) {
        expect(head.kept.slice(-20)).toEqual(Array.from({ length: 20 }, (_, i) => T - 20 + i));
      }
    }
    expectSameKept(json, selectKept('snapkv', referenceScores(), 30, { keptTail: 20 }));
    const bad = await cli(
      'inspect',
      '--model',
      modelDir,
      '--tokens',
      '1,2,3',
      '--method',
      'snapkv',
      '--budget',
      '2',
      '--kept-tail',
      '-1',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--kept-tail/);
  });

  it('CompressKV with --heads/--layer-scores prints one shared set per layer', async () => {
    const { json } = await inspect(
      'compresskv',
      40,
      '--heads',
      headsFile,
      '--layer-scores',
      scoresFile,
    );
    const expected = selectKept('compresskv', referenceScores(), 40, {}, calibration);
    expect(expected.budgets).toEqual(
      errorAwareBudgets([0.5, 0.2, 0.3], { budget: 40, min: 32, max: 120 }),
    );
    expect(new Set(expected.budgets).size).toBeGreaterThan(1);
    expectSameKept(json, expected);
    expect(json.warnings).toEqual([]);
  });

  it('CompressKV without calibration falls back with a warning on stderr and in the JSON', async () => {
    const { json, stderr } = await inspect('compresskv', 40, '--kernel', '3');
    expect(json.warnings.length).toBe(2);
    expect(stderr).toMatch(/warning: CompressKV: no layer scores/);
    expectSameKept(json, selectKept('compresskv', referenceScores(), 40, { kernel: 3 }));
    const bad = await cli(
      'inspect',
      '--model',
      modelDir,
      '--tokens',
      '1,2,3',
      '--method',
      'snapkv',
      '--json',
    );
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/needs --budget/);
  });

  it('generate --method compresskv decodes like the reference on the kept entries', async () => {
    const { json } = await ok<GenerateJson>(
      'generate',
      '--model',
      modelDir,
      '--tokens',
      prompt.join(','),
      '--max-new-tokens',
      '6',
      '--greedy',
      '--method',
      'compresskv',
      '--budget',
      '40',
      '--heads',
      headsFile,
      '--layer-scores',
      scoresFile,
    );
    const expected = selectKept('compresskv', referenceScores(), 40, {}, calibration);
    const r = json.stats.retention;
    expect(r.method).toBe('compresskv');
    expect(r.budgets).toEqual(expected.budgets);
    expect(r.tokensKept).toBe(expected.budgets.reduce((a, b) => a + b, 0));
    const perToken = 2 * ckpt.spec.numKvHeads * ckpt.spec.headDim * 4;
    expect(r.kvBytesFull).toBe(prompt.length * L * perToken);
    expect(r.kvBytesCompressed).toBe(r.tokensKept * perToken);
    expect(r.warnings).toEqual([]);
    const kept = expected.layers.map((layer) =>
      layer.kind === 'shared' ? new Set(layer.kept) : null,
    );
    const cache = filterReferenceCache(reference.cache, (l, _g, e) => kept[l]!.has(e.position));
    const ref = referenceGreedy(ckpt, reference.logits, cache, json.tokens.length);
    expect(json.tokens).toEqual(ref.tokens);
  });

  it('generate with a budget >= the prompt equals the uncompressed answer', async () => {
    const base = [
      'generate',
      '--model',
      modelDir,
      '--tokens',
      prompt.join(','),
      '--max-new-tokens',
      '6',
      '--greedy',
    ];
    const plain = await ok<GenerateJson>(...base);
    expect(plain.json.stats.retention.method).toBe('full');
    expect(plain.json.stats.retention.tokensKept).toBe(prompt.length * L);
    for (const method of ['snapkv', 'streamingllm'] as const) {
      const big = await ok<GenerateJson>(...base, '--method', method, '--budget', '200');
      expect(big.json.tokens).toEqual(plain.json.tokens);
      expect(big.json.stats.retention.tokensKept).toBe(prompt.length * L);
    }
  });
});
