/**
 * Decode cost versus cache length: ms per generated token at P = 512, 2048, 8192 on a
 * demo-model-sized checkpoint (qwen2, 4 layers, width 256, 8/2 heads, head_dim 32, vocab 4096)
 * and on one layer of Qwen2.5-0.5B's width (896, 14/2 heads, head_dim 64). The cache is filled
 * with random K/V (a prefill of 8k tokens would dominate the run), then single tokens are
 * decoded through ModelSession exactly as generate() does. Numbers go to native-models/onnx/ops-choice.md,
 * "KV cache I/O". About a minute:
 *
 *   npx tsx main/bench/kv-io-bench.ts [decodeTokens]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvCache } from '../engine/kv/kv-cache';
import { openModelSession } from '../engine/runtime/open-model-session';
import { makeCheckpoint } from '../../native-models/checkpoint/make-checkpoint';
import type { CheckpointDims } from '../../native-models/checkpoint/random-spec';

const MODELS: [string, Partial<CheckpointDims>][] = [
  [
    'demo-sized (4 layers, width 256)',
    {
      vocabSize: 4096,
      hiddenSize: 256,
      intermediateSize: 768,
      numLayers: 4,
      numHeads: 8,
      numKvHeads: 2,
    },
  ],
  [
    'width 896 (1 layer, 14/2 heads, d 64)',
    {
      vocabSize: 4096,
      hiddenSize: 896,
      intermediateSize: 4864,
      numLayers: 1,
      numHeads: 14,
      numKvHeads: 2,
    },
  ],
];
const CONTEXTS = [512, 2048, 8192];
const steps = Number(process.argv[2] ?? 40);

/** A cache of P random entries per layer at positions 0..P-1. */
function randomCache(dims: { numLayers: number; numKvHeads: number; headDim: number }, P: number) {
  const cache = KvCache.empty(dims);
  const n = dims.numKvHeads * P * dims.headDim;
  const positions = Array.from({ length: P }, (_, i) => i);
  for (let l = 0; l < dims.numLayers; l++) {
    const k = new Float32Array(n).map(() => Math.random() - 0.5);
    const v = new Float32Array(n).map(() => Math.random() - 0.5);
    cache.replaceLayer(l, k, v, positions);
  }
  cache.nextPosition = P;
  return cache;
}

const root = mkdtempSync(join(tmpdir(), 'kv-lens-kvio-'));
try {
  for (const [name, dims] of MODELS) {
    const dir = join(root, name.replace(/\W+/g, '-'));
    makeCheckpoint({ family: 'qwen2', outDir: join(dir, 'model'), seed: 1, dims });
    const { session } = await openModelSession(join(dir, 'model'), {
      cacheDir: join(dir, 'cache'),
      onProgress: () => {},
      intraOpNumThreads: 2,
    });
    for (const P of CONTEXTS) {
      const cache = randomCache(session.dims, P);
      // What generate() does before decoding: room for every step, so none copies the cache.
      cache.reserve(steps + 4);
      const ms: number[] = [];
      for (let i = 0; i < steps + 3; i++) {
        const t0 = performance.now();
        await session.run({ inputIds: [7], positionIds: [cache.nextPosition], cache });
        if (i >= 3) ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      const median = ms[Math.floor(ms.length / 2)]!;
      console.log(`${name.padEnd(40)} P=${String(P).padStart(5)}  ${median.toFixed(2)} ms/token`);
      cache.dispose();
    }
    await session.dispose();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
