import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterReferenceCache } from '../reference/reference-cache';
import { referenceForwardWithCache } from '../reference/reference-forward';
import { DEFAULT_GRAPH_OPS } from './blocks/block-context';
import { ONNX_FILE, buildModelGraph } from './build-model-graph';
import { makeModel } from './make-model';
import { encodeModel } from './proto/onnx-encode';
import { InlineWeightSink } from './weight-sink';
import { emptyKv, gatherKv, runGraph, withCapacity } from './test-support/run-graph';
import { type TestCheckpoint, testCheckpoint } from './test-support/test-checkpoint';

// Every family; tied and untied; GQA 2:1, 3:1, MHA, MQA; explicit head_dim; bf16 storage.
const cases: [string, () => TestCheckpoint][] = [
  [
    'llama, llama3 rope scaling, untied, bf16',
    () => testCheckpoint('llama', {}, { seed: 1, dtype: 'bf16' }),
  ],
  [
    'mistral, tied, MHA (G = H), 2 shards',
    () =>
      testCheckpoint('mistral', { tieWordEmbeddings: true, numKvHeads: 4 }, { seed: 2, shards: 2 }),
  ],
  [
    'qwen2, biases, tied, 6/2 heads',
    () => testCheckpoint('qwen2', { numHeads: 6, hiddenSize: 96, numKvHeads: 2 }, { seed: 3 }),
  ],
  [
    'qwen3, qk-norm, head_dim 32 != hidden/heads, untied, MQA',
    () =>
      testCheckpoint(
        'qwen3',
        { tieWordEmbeddings: false, numKvHeads: 1 },
        { seed: 4, dtype: 'fp16' },
      ),
  ],
];

function expectLogitsClose(actual: Float32Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  let worst = 0;
  actual.forEach((a, i) => (worst = Math.max(worst, Math.abs(a - expected[i]!))));
  expect(worst / scale).toBeLessThan(1e-4);
}

/** [H, C + S] capacity-layout scores -> [H, len + S] (unused columns must be exactly 0). */
function compactScores(s: Float32Array, H: number, C: number, len: number, S: number) {
  const T = C + S;
  const out: number[] = [];
  for (let h = 0; h < H; h++) {
    for (let j = 0; j < T; j++) {
      if (j >= len && j < C) expect(s[h * T + j]).toBe(0);
      else out.push(s[h * T + j]!);
    }
  }
  return Float32Array.from(out);
}

function expectScoresClose(actual: Float32Array, expected: Float64Array[]): void {
  const flat = expected.flatMap((row) => Array.from(row));
  expect(actual.length).toBe(flat.length);
  flat.forEach((e, i) => expect(Math.abs(actual[i]! - e)).toBeLessThan(1e-4));
}

const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

describe.each(cases)('graph matches the float64 reference: %s', (_name, make) => {
  let t: TestCheckpoint;
  beforeAll(() => {
    t = make();
  });
  afterAll(() => t.dispose());
  const prompt = [3, 17, 42, 5, 260];

  it('prefill from an empty cache, then decode with per-layer eviction', async () => {
    const { ckpt } = t;
    const spec = ckpt.spec;
    const out = join(t.dir, 'graph');
    await buildModelGraph(ckpt, out);
    const session = await ort.InferenceSession.create(join(out, ONNX_FILE));
    sessions.push(session);
    const positions = prompt.map((_, i) => i);
    const first = await runGraph(session, spec, prompt, positions, emptyKv(spec), [0, 1, 0, 1, 1]);
    const ref = referenceForwardWithCache(ckpt, prompt, { positions, scoreRows: [1, 3, 4] });
    expectLogitsClose(first.logits, ref.logits);
    first.scores.forEach((s, l) => expectScoresClose(s, ref.attnScores[l]!));
    first.scoresAll.forEach((s, l) => expectScoresClose(s, ref.attnScoresAll[l]!));

    // Layer 0 keeps entries 0, 2, 4; layer 1 keeps 1..4: each layer has its own past length.
    const keep = [
      [0, 2, 4],
      [1, 2, 3, 4],
    ];
    const past = first.present.map((kv, l) => gatherKv(kv, keep[l]!, spec));
    const refCache = filterReferenceCache(ref.cache, (l, _g, _e, i) => keep[l]!.includes(i));
    const next = [9, 33, 1];
    const nextPos = [5, 6, 7];
    const second = await runGraph(session, spec, next, nextPos, past, [1, 0, 1]);
    const ref2 = referenceForwardWithCache(ckpt, next, {
      positions: nextPos,
      cache: refCache,
      scoreRows: [0, 2],
    });
    expectLogitsClose(second.logits, ref2.logits);
    second.scores.forEach((s, l) => expectScoresClose(s, ref2.attnScores[l]!));
    second.scoresAll.forEach((s, l) => expectScoresClose(s, ref2.attnScoresAll[l]!));
    expect(second.newDims).toEqual([
      [1, spec.numKvHeads, 3, spec.headDim],
      [1, spec.numKvHeads, 3, spec.headDim],
    ]);
    expect(second.present.map((kv) => kv.length)).toEqual([6, 7]);

    // The same step on capacity buffers (spare slots full of huge garbage) in both layers.
    const spare = [4, 9];
    const wide = past.map((kv, l) => withCapacity(kv, kv.length + spare[l]!, spec, 7 + l));
    const third = await runGraph(session, spec, next, nextPos, wide, [1, 0, 1]);
    expectLogitsClose(third.logits, ref2.logits);
    const { numHeads: H } = spec;
    wide.forEach((kv, l) => {
      const C = kv.capacity!;
      expect(third.scoresDims[l]).toEqual([1, H, C + 3]);
      expectScoresClose(compactScores(third.scores[l]!, H, C, kv.length, 3), ref2.attnScores[l]!);
      const all = compactScores(third.scoresAll[l]!, H, C, kv.length, 3);
      expectScoresClose(all, ref2.attnScoresAll[l]!);
      // Same new entries up to float rounding (layer 1's input went through another MatMul shape).
      const [a, b] = [third.present[l]!.key, second.present[l]!.key];
      a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-5));
    });
  });
});

describe('op variants measured in ops-choice.md compute the same model', () => {
  it('plain vs SimplifiedLayerNormalization, Transpose+MatMul vs FusedMatMul', async () => {
    const t = testCheckpoint('qwen3', {}, { seed: 9 });
    try {
      const spec = t.ckpt.spec;
      const logits: Float32Array[] = [];
      for (const ops of [DEFAULT_GRAPH_OPS, { norm: 'simplified', qk: 'fused-matmul' } as const]) {
        const session = await ort.InferenceSession.create(
          encodeModel(await makeModel(t.ckpt, new InlineWeightSink(), ops)),
        );
        logits.push((await runGraph(session, spec, [4, 8, 15], [0, 1, 2], emptyKv(spec))).logits);
        await session.release();
      }
      const [a, b] = logits as [Float32Array, Float32Array];
      a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-4));
    } finally {
      t.dispose();
    }
  });
});
