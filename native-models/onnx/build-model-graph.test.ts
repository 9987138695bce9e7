import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphManifest } from '../../app/model/graph-contract';
import {
  type BuildProgress,
  DATA_FILE,
  GRAPH_BUILDER_VERSION,
  MANIFEST_FILE,
  ONNX_FILE,
  buildModelGraph,
} from './build-model-graph';
import { emptyKv, gatherKv, runGraph } from './test-support/run-graph';
import { testCheckpoint } from './test-support/test-checkpoint';

const made = testCheckpoint('llama', { numLayers: 3 });
const { ckpt } = made;
const spec = ckpt.spec;
let dir = '';
let session: ort.InferenceSession;
let manifest: GraphManifest;
const progress: BuildProgress[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kv-lens-build-'));
  manifest = await buildModelGraph(ckpt, dir, (p) => progress.push(p), { checkpointHash: 'abc' });
  session = await ort.InferenceSession.create(join(dir, ONNX_FILE));
});
afterAll(async () => {
  await session?.release();
  rmSync(dir, { recursive: true, force: true });
  made.dispose();
});

const sum = (a: Float32Array, from: number, to: number): number =>
  a.subarray(from, to).reduce((x, y) => x + y, 0);

describe('buildModelGraph', () => {
  it('writes model.onnx, the external data file and graph.json', () => {
    expect(statSync(join(dir, ONNX_FILE)).size).toBeGreaterThan(0);
    expect(statSync(join(dir, ONNX_FILE)).size).toBeLessThan(statSync(join(dir, DATA_FILE)).size);
    const onDisk = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as GraphManifest;
    expect(onDisk).toEqual(manifest);
    expect(manifest).toMatchObject({
      builderVersion: GRAPH_BUILDER_VERSION,
      checkpointHash: 'abc',
      onnxFile: ONNX_FILE,
      dataFile: DATA_FILE,
    });
    expect(manifest.spec).toEqual(spec);
  });

  it('reports progress layer by layer', () => {
    expect(progress.map((p) => p.message)).toEqual(
      [0, 1, 2, 3].map((l) => `building graph: layer ${l}/3`),
    );
  });

  it('exposes the contract inputs and outputs', () => {
    const layers = [0, 1, 2];
    expect(session.inputNames).toEqual([
      'input_ids',
      'position_ids',
      'score_rows',
      ...layers.flatMap((l) => [`past_key_values.${l}.key`, `past_key_values.${l}.value`]),
    ]);
    expect([...session.outputNames].sort()).toEqual(
      [
        'logits',
        ...layers.flatMap((l) => [`present.${l}.key`, `present.${l}.value`, `attn_scores.${l}`]),
      ].sort(),
    );
  });

  it('runs with an empty cache (P = 0) and sums probabilities over all rows to S', async () => {
    const S = 4;
    const run = await runGraph(session, spec, [1, 2, 3, 4], [0, 1, 2, 3], emptyKv(spec));
    expect(run.logitsDims).toEqual([1, spec.vocabSize]);
    expect(run.logits.every(Number.isFinite)).toBe(true);
    for (let l = 0; l < 3; l++) {
      expect(run.presentDims[l]).toEqual([1, spec.numKvHeads, S, spec.headDim]);
      expect(run.scoresDims[l]).toEqual([1, spec.numHeads, S]);
      for (let h = 0; h < spec.numHeads; h++)
        expect(sum(run.scores[l]!, h * S, (h + 1) * S)).toBeCloseTo(S, 5);
      // Row 0 sees only column 0, so column 0 gets 1 from it and something from every later row.
      expect(run.scores[l]![S - 1]).toBeGreaterThan(0);
    }
  });

  it('runs a single token on an empty cache (S = 1, P = 0)', async () => {
    const run = await runGraph(session, spec, [7], [0], emptyKv(spec));
    expect(run.logitsDims).toEqual([1, spec.vocabSize]);
    for (let l = 0; l < 3; l++) {
      expect(run.scoresDims[l]).toEqual([1, spec.numHeads, 1]);
      expect(Array.from(run.scores[l]!)).toEqual(new Array(spec.numHeads).fill(1));
    }
  });

  it('runs with a different past length in every layer, selected rows only', async () => {
    const first = await runGraph(session, spec, [5, 6, 7, 8, 9], [0, 1, 2, 3, 4], emptyKv(spec));
    const keep = [[], [0, 3], [0, 1, 2, 3, 4]];
    const past = first.present.map((kv, l) => gatherKv(kv, keep[l]!, spec));
    const rows = [0, 1, 1];
    const run = await runGraph(session, spec, [10, 11, 12], [5, 6, 7], past, rows);
    expect(run.logits.every(Number.isFinite)).toBe(true);
    keep.forEach((k, l) => {
      const T = k.length + 3;
      expect(run.presentDims[l]).toEqual([1, spec.numKvHeads, T, spec.headDim]);
      expect(run.scoresDims[l]).toEqual([1, spec.numHeads, T]);
      for (let h = 0; h < spec.numHeads; h++) {
        expect(sum(run.scores[l]!, h * T, (h + 1) * T)).toBeCloseTo(2, 5);
        // Selected rows 1 and 2 cannot see the last new token from row 1, only from row 2.
        expect(run.scores[l]![h * T + T - 1]).toBeLessThan(1);
      }
      // present = past entries followed by the new ones.
      expect(Array.from(run.present[l]!.key.subarray(0, k.length * spec.headDim))).toEqual(
        Array.from(past[l]!.key.subarray(0, k.length * spec.headDim)),
      );
    });
  });
});
