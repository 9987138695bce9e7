import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  INPUT_IDS,
  LOGITS,
  PAST_LENGTHS,
  POSITION_IDS,
  SCORE_ROWS,
  newKeyName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import type { ModelSpec } from '../../../app/model/model-spec';
import {
  filterReferenceCache,
  layerKvArrays,
  type ReferenceKvCache,
} from '../../reference/reference-cache';
import { referenceLayerAttention, referenceTrace } from '../../reference/reference-layer-trace';
import { testCheckpoint, type TestCheckpoint } from '../test-support/test-checkpoint';
import { buildCalibrationGraphs } from './build-calibration-graphs';
import { attnOutputName, layerInputName } from './calibration-contract';

const cases: [string, () => TestCheckpoint][] = [
  ['llama GQA 2:1', () => testCheckpoint('llama', {}, { seed: 11 })],
  ['qwen2 biases, MHA', () => testCheckpoint('qwen2', {}, { seed: 12 })],
  ['qwen3 qk-norm, MQA', () => testCheckpoint('qwen3', { numKvHeads: 1 }, { seed: 13 })],
];

const i64 = (xs: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);

function pastFeeds(spec: ModelSpec, cache: ReferenceKvCache): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (let l = 0; l < spec.numLayers; l++) {
    const kv = layerKvArrays(cache, l);
    const dims = [1, spec.numKvHeads, kv.length, spec.headDim];
    feeds[pastKeyName(l)] = new ort.Tensor('float32', Float32Array.from(kv.keys), dims);
    feeds[pastValueName(l)] = new ort.Tensor('float32', Float32Array.from(kv.values), dims);
  }
  return feeds;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  expect(worst / scale).toBeLessThan(tol);
}

const flat = (rows: Float64Array[]) => rows.flatMap((r) => Array.from(r));
const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

describe.each(cases)('calibration graphs match the float64 reference: %s', (_name, make) => {
  it('calibration model exposes attention inputs/outputs; the probe runs one layer on an evicted cache', async () => {
    const t = make();
    try {
      const spec = t.ckpt.spec;
      const out = join(t.dir, 'calib');
      const manifest = await buildCalibrationGraphs(t.ckpt, out);
      const model = await ort.InferenceSession.create(join(out, manifest.modelFile));
      const probe = await ort.InferenceSession.create(join(out, manifest.probeFile));
      sessions.push(model, probe);
      const empty = {
        layers: Array.from({ length: spec.numLayers }, () =>
          Array.from({ length: spec.numKvHeads }, () => []),
        ),
        nextPosition: 0,
      };

      // Full path on a prompt: the extra outputs equal the reference's per-layer trace.
      const prompt = [3, 17, 42, 5, 260, 9];
      const positions = prompt.map((_, i) => i);
      const res = await model.run({
        [INPUT_IDS]: i64(prompt),
        [POSITION_IDS]: i64(positions),
        [SCORE_ROWS]: new ort.Tensor('float32', new Float32Array(prompt.length), [
          1,
          prompt.length,
        ]),
        [PAST_LENGTHS]: new ort.Tensor('int64', new BigInt64Array(spec.numLayers), [
          spec.numLayers,
        ]),
        ...pastFeeds(spec, empty),
      });
      const ref = referenceTrace(t.ckpt, prompt, { positions });
      expectClose(res[LOGITS]!.data as Float32Array, ref.logits);
      for (let l = 0; l < spec.numLayers; l++) {
        expect(res[layerInputName(l)]!.dims).toEqual([1, prompt.length, spec.hiddenSize]);
        expectClose(res[layerInputName(l)]!.data as Float32Array, flat(ref.layerInputs[l]!));
        expectClose(res[attnOutputName(l)]!.data as Float32Array, flat(ref.attnOutputs[l]!));
      }

      // Decode step: the full path's layer input of the next token, fed to the probe with a
      // cache that lost different entries per layer, gives that layer's compressed output.
      const next = referenceTrace(t.ckpt, [77], { cache: ref.cache, positions: [6] });
      const keep = [
        [0, 2, 5],
        [1, 3, 4, 5],
      ];
      const comp = filterReferenceCache(ref.cache, (l, _g, _e, i) => keep[l % 2]!.includes(i));
      const feeds: Record<string, ort.Tensor> = {
        [POSITION_IDS]: i64([6]),
        [SCORE_ROWS]: new ort.Tensor('float32', new Float32Array([1]), [1, 1]),
        ...pastFeeds(spec, comp),
      };
      for (let l = 0; l < spec.numLayers; l++) {
        feeds[layerInputName(l)] = new ort.Tensor(
          'float32',
          Float32Array.from(next.layerInputs[l]![0]!),
          [1, 1, spec.hiddenSize],
        );
      }
      const p = await probe.run(feeds);
      for (let l = 0; l < spec.numLayers; l++) {
        const want = referenceLayerAttention(t.ckpt, l, next.layerInputs[l]!, [6], comp.layers[l]!);
        expectClose(p[attnOutputName(l)]!.data as Float32Array, want.outputs[0]!);
        expect(p[newKeyName(l)]!.dims).toEqual([1, spec.numKvHeads, 1, spec.headDim]);
        const newKey = next.cache.layers[l]![0]!.at(-1)!.key;
        expectClose((p[newKeyName(l)]!.data as Float32Array).subarray(0, spec.headDim), newKey);
      }
      // On the full cache the probe reproduces the full path's own attention output.
      const fullFeeds = { ...feeds, ...pastFeeds(spec, ref.cache) };
      const pf = await probe.run(fullFeeds);
      for (let l = 0; l < spec.numLayers; l++) {
        expectClose(pf[attnOutputName(l)]!.data as Float32Array, next.attnOutputs[l]![0]!);
      }
    } finally {
      t.dispose();
    }
  });
});
