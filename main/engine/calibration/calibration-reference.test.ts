import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../native-models/checkpoint/checkpoint';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { openCheckpoint } from '../../../native-models/checkpoint/open-checkpoint';
import { buildOrLoadCalibrationGraphs } from '../../../native-models/onnx/calibration/calibration-graph-cache';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import {
  referenceLayerAttention,
  referenceTrace,
} from '../../../native-models/reference/reference-layer-trace';
import { ModelSession } from '../runtime/model-session';
import { AttentionProbeSession } from './attention-probe-session';
import { runLayerProbe } from './run-layer-probe';
import { runSrhProbe } from './run-srh-probe';

let root: string;
let vocab: number;
let ckpt: Checkpoint;
let session: ModelSession;
let probe: AttentionProbeSession;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kv-lens-layer-error-'));
  const dir = join(root, 'model');
  makeCheckpoint({ family: 'qwen3', outDir: dir, seed: 21, dims: { numLayers: 3 } });
  const g = await buildOrLoadCalibrationGraphs(dir, {
    cacheDir: join(root, 'cache'),
    onProgress: () => {},
  });
  session = await ModelSession.open(g.modelPath, g.manifest.spec);
  probe = await AttentionProbeSession.open(g.probePath, g.manifest.spec.hiddenSize);
  ckpt = openCheckpoint(dir);
  vocab = g.manifest.spec.vocabSize;
});
afterAll(async () => {
  await session.dispose();
  await probe.dispose();
  ckpt.dispose();
  rmSync(root, { recursive: true, force: true });
});

const argmax = (x: Float64Array) => x.reduce((b, v, i) => (v > x[b]! ? i : b), 0);

describe('layer eviction error against the float64 reference', () => {
  it('matches e_t summed over decode steps, computed directly from the reference', async () => {
    const T = 48;
    const prompt = Array.from({ length: T }, (_, i) => 3 + ((i * 37 + 11) % 400));
    const run = await runLayerProbe(session, probe, prompt, {
      budget: 16,
      window: 4,
      maxNewTokens: 6,
      eosIds: [],
      heads: { '0': [2, 0], '1': [1, 3], '2': [3, 2] },
    });
    expect(run.steps).toBe(5);
    expect(run.kept.every((k) => k.length === 16 && k.slice(-4).join() === '44,45,46,47')).toBe(
      true,
    );

    // Reference: decode the same tokens on the full cache; at each step run each layer's
    // attention on (kept prompt entries + generated entries) from the full path's layer input.
    let state = referenceTrace(ckpt, prompt);
    expect(argmax(state.logits)).toBe(run.tokens[0]);
    const sums = new Array<number>(3).fill(0);
    for (let t = 0; t < run.steps; t++) {
      const pos = T + t;
      const next = referenceTrace(ckpt, [run.tokens[t]!], { cache: state.cache, positions: [pos] });
      for (let l = 0; l < 3; l++) {
        const kept = new Set(run.kept[l]);
        const comp = state.cache.layers[l]!.map((entries) =>
          entries.filter((e) => e.position >= T || kept.has(e.position)),
        );
        const o = referenceLayerAttention(ckpt, l, next.layerInputs[l]!, [pos], comp).outputs[0]!;
        const f = next.attnOutputs[l]![0]!;
        let diff = 0;
        let norm = 0;
        f.forEach((v, i) => {
          diff += (o[i]! - v) ** 2;
          norm += v * v;
        });
        sums[l]! += Math.sqrt(diff) / (Math.sqrt(norm) + 1e-5);
      }
      expect(argmax(next.logits)).toBe(run.tokens[t + 1]);
      state = next;
    }
    sums.forEach((s, l) => {
      expect(s).toBeGreaterThan(0);
      expect(Math.abs(run.sums[l]! - s) / s).toBeLessThan(1e-3);
    });
  });
});

describe('SRH scores against the float64 reference', () => {
  it('credits the attention row of the query that predicts each generated token', async () => {
    // Every vocabulary id occurs once in the prompt, so every generated token is "copied" from
    // somewhere (a random model tends to repeat the last prompt token); the span is the prompt.
    const prompt = Array.from({ length: vocab }, (_, i) => (i * 149 + 7) % vocab);
    const span = prompt.map((_, i) => i);
    const run = await runSrhProbe(
      session,
      { promptIds: prompt, answerPositions: span },
      { maxNewTokens: 4, eosIds: [] },
    );
    expect(run.tokens).toHaveLength(4);
    const L = session.dims.numLayers;
    const H = session.numHeads;
    const srh = Array.from({ length: L }, () => new Array<number>(H).fill(0));
    const top1 = Array.from({ length: L }, () => new Array<number>(H).fill(0));
    // Prefix without the last token, then one row per step, like the runtime path.
    let state = referenceForwardWithCache(ckpt, prompt.slice(0, -1));
    let input = prompt[prompt.length - 1]!;
    for (const y of run.tokens) {
      const step = referenceForwardWithCache(ckpt, [input], { cache: state.cache, scoreRows: [0] });
      expect(argmax(step.logits)).toBe(y);
      const copies = span.filter((i) => prompt[i] === y).length;
      for (let l = 0; l < L; l++) {
        for (let h = 0; h < H; h++) {
          const row = step.attnScores[l]![h]!;
          srh[l]![h]! += copies * span.reduce((a, j) => a + row[j]!, 0);
          const best = argmax(row);
          if (best < prompt.length && prompt[best] === y) top1[l]![h]! += 1 / span.length;
        }
      }
      state = step;
      input = y;
    }
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        expect(run.srh[l]![h]!).toBeCloseTo(srh[l]![h]!, 4);
        expect(run.retrieval[l]![h]!).toBeCloseTo(top1[l]![h]!, 9);
      }
    }
    expect(srh.flat().some((v) => v > 0)).toBe(true);
  });
});
