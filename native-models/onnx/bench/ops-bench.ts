/**
 * Measures the op choices recorded in ops-choice.md: RMSNorm (plain vs SimplifiedLayerNormalization),
 * RoPE (plain vs com.microsoft RotaryEmbedding), attention core (Transpose+MatMul vs FusedMatMul
 * transB vs GroupQueryAttention with its probability output). Runs in about half a minute.
 *
 *   npx tsx native-models/onnx/bench/ops-bench.ts
 */
import * as ort from 'onnxruntime-node';
import type { ModelSpec } from '../../../app/model/model-spec';
import { randomSpec, QWEN2_5_0_5B_DIMS } from '../../checkpoint/random-spec';
import { attentionGraph, ropeGraph, rmsNormGraph } from './micro-graphs';

const spec: ModelSpec = randomSpec('qwen2', QWEN2_5_0_5B_DIMS);
const { hiddenSize: h, numHeads: H, numKvHeads: G, headDim: d } = spec;

function rand(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

/** Median milliseconds per run, and the first run's outputs for cross-checking variants. */
async function time(
  model: Uint8Array,
  feeds: Record<string, ort.Tensor>,
  runs: number,
  optimize = true,
) {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 2,
    logSeverityLevel: 3,
    graphOptimizationLevel: optimize ? 'all' : 'disabled',
  });
  const first = await session.run(feeds);
  for (let i = 0; i < 2; i++) await session.run(feeds);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    ms.push(performance.now() - t0);
  }
  await session.release();
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)]!, out: first };
}

function maxDiff(a: ort.Tensor | undefined, b: ort.Tensor | undefined): number {
  if (!a || !b) return NaN;
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

const f = (data: Float32Array, dims: number[]): ort.Tensor => new ort.Tensor('float32', data, dims);
const positions = (S: number, from: number): ort.Tensor =>
  new ort.Tensor(
    'int64',
    BigInt64Array.from({ length: S }, (_, i) => BigInt(from + i)),
    [1, S],
  );

const rows: string[] = [];
function report(what: string, variants: Record<string, { ms: number }>, diff: number): void {
  const cells = Object.entries(variants).map(([k, v]) => `${k} ${v.ms.toFixed(3)} ms`);
  rows.push(`${what.padEnd(34)} ${cells.join(' | ')} | max |diff| ${diff.toExponential(1)}`);
  console.log(rows.at(-1));
}

for (const S of [1, 512]) {
  const feeds = { x: f(rand(S * h), [1, S, h]) };
  const runs = S === 1 ? 200 : 20;
  const plain = await time(await rmsNormGraph(spec, 'plain', 49), feeds, runs);
  const simplified = await time(await rmsNormGraph(spec, 'simplified', 49), feeds, runs);
  // Without graph optimisation ORT cannot fuse the plain ops into its RMSNorm kernel.
  const unfused = await time(await rmsNormGraph(spec, 'plain', 49), feeds, runs, false);
  const [po, so] = [Object.values(plain.out)[0], Object.values(simplified.out)[0]];
  report(
    `RMSNorm x49, S=${S}`,
    { plain, simplified, 'plain unoptimised': unfused },
    maxDiff(po, so),
  );
}

for (const S of [1, 512]) {
  const feeds = {
    q: f(rand(S * H * d), [1, S, H * d]),
    k: f(rand(S * G * d), [1, S, G * d]),
    position_ids: positions(S, 1000),
  };
  const runs = S === 1 ? 100 : 10;
  const plain = await time(await ropeGraph(spec, 'plain', 24), feeds, runs);
  const contrib = await time(await ropeGraph(spec, 'contrib', 24), feeds, runs);
  // Output names differ by path; outputs are declared in the same order in both graphs.
  const diff = Math.max(
    ...Object.values(plain.out).map((t, i) => maxDiff(t, Object.values(contrib.out)[i])),
  );
  report(`RoPE q+k x24, S=${S}`, { plain, contrib }, diff);
}

for (const [S, P] of [
  [1, 2048],
  [1, 8192],
  [256, 1024],
  [512, 0],
] as const) {
  const feeds = {
    q: f(rand(S * H * d), [1, S, H * d]),
    k: f(rand(S * G * d), [1, S, G * d]),
    v: f(rand(S * G * d), [1, S, G * d]),
    score_rows: f(new Float32Array(S).fill(1), [1, S]),
    'past_key_values.0.key': f(rand(G * P * d), [1, G, P, d]),
    'past_key_values.0.value': f(rand(G * P * d), [1, G, P, d]),
  };
  const runs = S === 1 ? 100 : 10;
  const transpose = await time(attentionGraph(spec, 'transpose'), feeds, runs);
  const fused = await time(attentionGraph(spec, 'fused-matmul'), feeds, runs);
  const gqa = await time(attentionGraph(spec, 'gqa'), feeds, runs);
  const outName = (r: typeof gqa): string => Object.keys(r.out).find((n) => n.includes('out'))!;
  const diff = Math.max(
    ...[fused, gqa].flatMap((r) => [
      maxDiff(transpose.out['attn_scores.0'], r.out['attn_scores.0']),
      maxDiff(transpose.out[outName(transpose)], r.out[outName(r)]),
    ]),
  );
  report(`attention 1 layer, S=${S} P=${P}`, { transpose, 'fused-matmul': fused, gqa }, diff);
}
