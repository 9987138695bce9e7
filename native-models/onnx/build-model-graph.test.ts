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
import { emptyKv, gatherKv, runGraph, withCapacity } from './test-support/run-graph';
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
      'past_lengths',
      ...layers.flatMap((l) => [`past_key_values.${l}.key`, `past_key_values.${l}.value`]),
    ]);
    expect([...session.outputNames].sort()).toEqual(
      [
        'logits',
        ...layers.flatMap((l) => [
          `new_key_values.${l}.key`,
          `new_key_values.${l}.value`,
          `attn_scores.${l}`,
          `attn_scores_all.${l}`,
        ]),
      ].sort(),
    );
  });

  it('runs with an empty cache (P = 0) and sums probabilities over all rows to S', async () => {
    const S = 4;
    const run = await runGraph(session, spec, [1, 2, 3, 4], [0, 1, 2, 3], emptyKv(spec));
    expect(run.logitsDims).toEqual([1, spec.vocabSize]);
    expect(run.logits.every(Number.isFinite)).toBe(true);
    for (let l = 0; l < 3; l++) {
      expect(run.newDims[l]).toEqual([1, spec.numKvHeads, S, spec.headDim]);
      expect(run.scoresDims[l]).toEqual([1, spec.numHeads, S]);
      for (let h = 0; h < spec.numHeads; h++) {
        expect(sum(run.scores[l]!, h * S, (h + 1) * S)).toBeCloseTo(S, 5);
        expect(sum(run.scoresAll[l]!, h * S, (h + 1) * S)).toBeCloseTo(S, 5);
      }
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
      expect(run.newDims[l]).toEqual([1, spec.numKvHeads, 3, spec.headDim]);
      expect(run.scoresDims[l]).toEqual([1, spec.numHeads, T]);
      for (let h = 0; h < spec.numHeads; h++) {
        expect(sum(run.scores[l]!, h * T, (h + 1) * T)).toBeCloseTo(2, 5);
        // Selected rows 1 and 2 cannot see the last new token from row 1, only from row 2.
        expect(run.scores[l]![h * T + T - 1]).toBeLessThan(1);
      }
    });
  });

  // S = 1 runs the split attention body (K/V read in place), S = 2 the joined one.
  it.each([1, 2])('ignores unused capacity slots, whatever they hold (S = %i)', async (S) => {
    const first = await runGraph(session, spec, [5, 6, 7, 8, 9], [0, 1, 2, 3, 4], emptyKv(spec));
    const keep = [[1, 2], [0, 3, 4], []];
    const exact = first.present.map((kv, l) => gatherKv(kv, keep[l]!, spec));
    // Spare slots full of +-1e30 (and one layer with capacity but no valid entry).
    const wide = exact.map((kv, l) => withCapacity(kv, kv.length + [3, 1, 4][l]!, spec, l + 1));
    const ids = [10, 11].slice(0, S);
    const pos = [5, 6].slice(0, S);
    const a = await runGraph(session, spec, ids, pos, exact);
    const b = await runGraph(session, spec, ids, pos, wide);
    const close = (x: Float32Array, y: Float32Array) =>
      x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(1e-5));
    close(b.logits, a.logits);
    const H = spec.numHeads;
    wide.forEach((kv, l) => {
      const C = kv.capacity!;
      const len = kv.length;
      close(b.present[l]!.key, a.present[l]!.key);
      close(b.present[l]!.value, a.present[l]!.value);
      for (const [wideScores, exactScores] of [
        [b.scores[l]!, a.scores[l]!],
        [b.scoresAll[l]!, a.scoresAll[l]!],
      ] as const) {
        for (let h = 0; h < H; h++) {
          const row = wideScores.subarray(h * (C + S), (h + 1) * (C + S));
          // Columns len..C-1 are the unused slots: exactly 0.
          expect(Array.from(row.subarray(len, C))).toEqual(new Array(C - len).fill(0));
          const mapped = [...row.subarray(0, len), ...row.subarray(C)];
          close(
            Float32Array.from(mapped),
            exactScores.subarray(h * (len + S), (h + 1) * (len + S)),
          );
        }
      }
    });
  });

  it('reads the past buffers in place: changing a valid entry changes the next run', async () => {
    const first = await runGraph(session, spec, [5, 6, 7], [0, 1, 2], emptyKv(spec));
    const past = first.present.map((kv) => withCapacity(kv, kv.length + 2, spec));
    const before = await runGraph(session, spec, [4], [3], past);
    const values = past[0]!.value;
    values[spec.headDim] = values[spec.headDim]! + 1; // layer 0, KV head 0, entry 1, dim 0
    const after = await runGraph(session, spec, [4], [3], past);
    expect(after.logits).not.toEqual(before.logits);
  });
});
