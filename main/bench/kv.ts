/**
 * `npm run bench -- kv [--quick] [--contexts 2048,8192,32768] [--budgets 64,256,1024,2048]
 *  [--decode-tokens N] [--chunk-size N] [--threads N] [--wide]`
 *
 * What KV compression costs and buys, on a random checkpoint with the demo model's dimensions:
 * - the time of selection (pooling, head/group scoring, top-k) + retention map + gather, as a
 *   fraction of the (scored) prefill time of the same prompt (target: under 2%);
 * - decode tokens/s from the compressed cache at each budget against the full cache, next to
 *   the speed-up a memory-bound cost model predicts: bytes read per token = weights + KV of the
 *   cache decoded from (compressed vs full).
 * One prefill per prompt length serves every budget and method (prefill once, compress many).
 * --quick: 2k only. Figures go to stderr and bench-results/kv.json (--quick:
 * bench-results/local-kv-quick.json, git-ignored).
 */
import type { Calibration } from '../../app/kv/kept-positions';
import type { KvMethod } from '../../app/kv/methods';
import { kvBytesPerToken, type ModelSpec } from '../../app/model/model-spec';
import { intFlag, intListFlag, parseArgs } from '../cli/args';
import { compressCache, selectForScores } from '../engine/document-session/compress-cache';
import { scoredPrefill } from '../engine/document-session/scored-prefill';
import { argmax } from '../engine/generation/sampling';
import type { KvCache } from '../engine/kv/kv-cache';
import type { ModelSession } from '../engine/runtime/model-session';
import { openModelSession } from '../engine/runtime/open-model-session';
import { benchCheckpoint, type BenchModel } from './bench-checkpoint';
import { machineInfo, writeBenchResult } from './bench-results';
import { weightBytesPerToken } from './decode-roofline';
import { measureCopyBandwidth } from './memory-bandwidth';

/**
 * The first demo model design (architecture.md: head_dim 32), with room for 32k-token prompts; the
 * README figures were taken on this shape. The shipped demo model has head_dim 64.
 */
const DEMO_SIZED: BenchModel = {
  name: 'kv-demo-sized',
  dims: {
    vocabSize: 4096,
    hiddenSize: 256,
    intermediateSize: 768,
    numLayers: 4,
    numHeads: 8,
    numKvHeads: 2,
    headDim: 32,
    maxPositionEmbeddings: 40960,
    tieWordEmbeddings: true,
  },
};

/** Wider attention (more KV per token), so the KV share of decode traffic is larger. */
const WIDE: BenchModel = {
  name: 'kv-wide',
  dims: {
    ...DEMO_SIZED.dims,
    hiddenSize: 512,
    numLayers: 8,
    numHeads: 8,
    numKvHeads: 4,
    headDim: 64,
  },
};

const METHODS: readonly KvMethod[] = ['compresskv', 'snapkv'];

interface BudgetFigures {
  method: KvMethod;
  budget: number;
  tokensKept: number;
  /** Scoring (pooling, head means) + selection + retention map + gather, best of 3. */
  scoreSelectGatherMs: number;
  /** scoreSelectGatherMs / prefill time of the same prompt. */
  fractionOfPrefill: number;
  /** Re-selection from cached scores (a budget-slider move), best of 3. */
  reselectMs: number;
  decodeTokensPerSecond: number;
  /** Full-cache decode measured right after this budget's. */
  pairedFullTokensPerSecond: number;
  /** decodeTokensPerSecond / pairedFullTokensPerSecond. */
  measuredSpeedup: number;
  bytesPerToken: number;
  predictedSpeedup: number;
}

/** Runs the benchmark; returns what it wrote. */
export async function runKvBench(argv: readonly string[]): Promise<unknown> {
  const args = parseArgs(argv, {
    values: ['contexts', 'budgets', 'decode-tokens', 'chunk-size', 'threads'],
    booleans: ['quick', 'wide'],
  });
  const quick = args.booleans.has('quick');
  const contexts = intListFlag(args, 'contexts') ?? (quick ? [2048] : [2048, 8192, 32768]);
  const budgets = intListFlag(args, 'budgets') ?? [64, 256, 1024, 2048];
  const decodeTokens = intFlag(args, 'decode-tokens', 16, 1);
  const chunkSize = intFlag(args, 'chunk-size', 256, 1);
  // One intra-op thread by default: a small model's decode step gains little from a second
  // thread, and on shared cores two spinning threads make the rates erratic. 0 = ORT's default.
  const threads = intFlag(args, 'threads', 1, 0);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const bandwidth = measureCopyBandwidth();
  log(`copy bandwidth: ${(bandwidth / 1e9).toFixed(1)} GB/s (read + write)`);
  const started = performance.now();
  const models = args.booleans.has('wide') ? [DEMO_SIZED, WIDE] : [DEMO_SIZED];
  const results = [];
  for (const model of models) {
    results.push(
      await benchModel(model, { contexts, budgets, decodeTokens, chunkSize, threads }, log),
    );
  }
  const report = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    copyBandwidthBytesPerSecond: bandwidth,
    quick,
    chunkSize,
    decodeTokens,
    threads,
    wallSeconds: (performance.now() - started) / 1000,
    note: 'CompressKV here uses a bench-only calibration (heads 0-3 of every layer, descending layer scores): the cost of its 4-head scoring and error-aware budgets, not its quality.',
    models: results,
  };
  const out = writeBenchResult(quick ? 'local-kv-quick.json' : 'kv.json', report);
  log(`wrote ${out} (${report.wallSeconds.toFixed(0)} s)`);
  return report;
}

interface Plan {
  contexts: number[];
  budgets: number[];
  decodeTokens: number;
  chunkSize: number;
  /** ORT intra-op threads; 0 = its default. */
  threads: number;
}

async function benchModel(model: BenchModel, plan: Plan, say: (m: string) => void) {
  const log = (m: string) => say(`[${model.name}] ${m}`);
  const dir = benchCheckpoint(model, log);
  const { session, manifest } = await openModelSession(dir, {
    onProgress: () => {},
    ...(plan.threads > 0 ? { intraOpNumThreads: plan.threads } : {}),
  });
  const spec: ModelSpec = manifest.spec;
  const calibration: Calibration = {
    heads: Object.fromEntries(
      Array.from({ length: spec.numLayers }, (_, l) => [String(l), [0, 1, 2, 3]]),
    ),
    layerScores: Array.from({ length: spec.numLayers }, (_, l) => spec.numLayers - l),
  };
  const weights = weightBytesPerToken(spec);
  const contexts = [];
  try {
    for (const T of plan.contexts) {
      const ids = Array.from({ length: T }, (_, i) => (i * 7919 + 13) % spec.vocabSize);
      const full = session.emptyCache();
      try {
        log(`prefilling ${T} tokens...`);
        let lastLog = 0;
        const pre = await scoredPrefill(session, full, ids, {
          window: 8,
          chunkSize: plan.chunkSize,
          // Long prompts take minutes on two cores: say every 30 s where the prefill is.
          onProgress: (p) => {
            if (p.elapsedMs - lastLog < 30_000) return;
            lastLog = p.elapsedMs;
            log(`  ${p.done}/${p.total} tokens, ${(p.elapsedMs / 1000).toFixed(0)} s`);
          },
        });
        log(`prefill ${T} tokens: ${(pre.ms / 1000).toFixed(1)} s`);
        const fullBytes = weights + T * kvBytesPerToken(spec);
        const first = argmax(pre.logits);
        const figures: BudgetFigures[] = [];
        // The full cache is decoded last: decoding appends to the cache it runs on.
        for (const method of METHODS) {
          for (const budget of plan.budgets) {
            const request = { method, budget, calibration };
            // Cold: a fresh ScoreInput object defeats the per-input score cache, so scoring
            // (pooling, head means) is timed too. Best of 3: the cores are shared.
            let coldMs = Infinity;
            let c = compressCache(full, { ...pre.scores }, request);
            for (let rep = 0; rep < 3; rep++) {
              c.cache.dispose();
              const t0 = performance.now();
              c = compressCache(full, { ...pre.scores }, request);
              coldMs = Math.min(coldMs, performance.now() - t0);
            }
            // Warm: what a slider move costs (scores cached, no gather).
            let reselectMs = Infinity;
            selectForScores(pre.scores, request, full);
            for (let rep = 0; rep < 3; rep++) {
              reselectMs = Math.min(
                reselectMs,
                selectForScores(pre.scores, request, full).selectMs,
              );
            }
            try {
              const rate = await decodeRate(session, c.cache, first, plan.decodeTokens);
              // Paired with a full-cache run right after: under shared cores the ratio of two
              // neighbouring measurements is steadier than either rate.
              const copy = full.clone();
              const pairedFull = await decodeRate(session, copy, first, plan.decodeTokens);
              copy.dispose();
              const kept = c.retention.totals.compressedBytes;
              figures.push({
                method,
                budget,
                tokensKept: c.retention.totals.tokensKept,
                scoreSelectGatherMs: coldMs,
                fractionOfPrefill: coldMs / pre.ms,
                reselectMs,
                decodeTokensPerSecond: rate,
                pairedFullTokensPerSecond: pairedFull,
                measuredSpeedup: rate / pairedFull,
                bytesPerToken: weights + kept,
                predictedSpeedup: fullBytes / (weights + kept),
              });
            } finally {
              c.cache.dispose();
            }
          }
        }
        const fullRate = await decodeRate(session, full, first, plan.decodeTokens);
        for (const f of figures) {
          log(
            `T=${T} ${f.method} B=${f.budget}: score+select+gather ${f.scoreSelectGatherMs.toFixed(1)} ms = ${(100 * f.fractionOfPrefill).toFixed(3)}% of prefill, reselect ${f.reselectMs.toFixed(2)} ms; decode ${f.decodeTokensPerSecond.toFixed(1)} vs full ${f.pairedFullTokensPerSecond.toFixed(1)} tok/s = x${f.measuredSpeedup.toFixed(2)} (cost model x${f.predictedSpeedup.toFixed(2)})`,
          );
        }
        log(`T=${T} full cache: decode ${fullRate.toFixed(1)} tok/s`);
        contexts.push({
          context: T,
          prefillMs: pre.ms,
          prefillTokensPerSecond: (T * 1000) / pre.ms,
          full: { decodeTokensPerSecond: fullRate, bytesPerToken: fullBytes },
          budgets: figures,
        });
      } finally {
        full.dispose();
      }
    }
  } finally {
    await session.dispose();
  }
  return {
    name: model.name,
    spec,
    weightBytesPerToken: weights,
    kvBytesPerToken: kvBytesPerToken(spec),
    contexts,
  };
}

/**
 * Greedy decode tokens/s on `cache` (appended in place): two untimed warm-up steps, then the
 * best of three rounds of n steps (the cores are shared; the best round is the machine's rate).
 */
async function decodeRate(session: ModelSession, cache: KvCache, first: number, n: number) {
  let token = first;
  const step = async () => {
    const out = await session.run({ inputIds: [token], positionIds: [cache.nextPosition], cache });
    token = argmax(out.logits);
  };
  cache.reserve(2 + 3 * n);
  for (let i = 0; i < 2; i++) await step();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await step();
    best = Math.max(best, (n * 1000) / (performance.now() - t0));
  }
  return best;
}
