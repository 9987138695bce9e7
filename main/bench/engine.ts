/**
 * `npm run bench -- engine [--quick] [--contexts 512,2048,8192] [--decode-tokens N]`
 *
 * Prefill and decode speed of the engine on random checkpoints with the real dimensions of
 * Qwen2.5-0.5B and of the demo model, next to the decode roofline (weight + KV bytes per token
 * over measured copy bandwidth). Figures go to stderr and bench-results/engine.json (--quick:
 * only the small model and short contexts, into bench-results/local-engine-quick.json).
 */
import { kvBytesPerToken, type ModelSpec } from '../../app/model/model-spec';
import { QWEN2_5_0_5B_DIMS } from '../../native-models/checkpoint/random-spec';
import { prefill } from '../engine/generation/prefill';
import { argmax } from '../engine/generation/sampling';
import { openModelSession } from '../engine/runtime/open-model-session';
import { intListFlag, intFlag, parseArgs } from '../cli/args';
import { benchCheckpoint, type BenchModel } from './bench-checkpoint';
import { machineInfo, writeBenchResult } from './bench-results';
import { decodeRoofline, weightBytesPerToken } from './decode-roofline';
import { measureCopyBandwidth } from './memory-bandwidth';

/**
 * The first demo model design (architecture.md): 4 layers, width 256, 8/2 heads of 32, vocab 4096.
 * The shipped demo model has head_dim 64; the figures in README.md were taken on this shape.
 */
const DEMO_SIZED: BenchModel = {
  name: 'demo-sized',
  dims: {
    vocabSize: 4096,
    hiddenSize: 256,
    intermediateSize: 768,
    numLayers: 4,
    numHeads: 8,
    numKvHeads: 2,
    tieWordEmbeddings: true,
  },
};
const QWEN_0_5B: BenchModel = { name: 'qwen2.5-0.5b-shape', dims: QWEN2_5_0_5B_DIMS };

interface ContextFigures {
  context: number;
  prefillMs: number;
  prefillTokensPerSecond: number;
  decodeTokens: number;
  decodeTokensPerSecond: number;
  rooflineTokensPerSecond: number;
  fractionOfRoofline: number;
  kvBytes: number;
}

/** Runs the benchmark; returns what it wrote to bench-results/engine.json. */
export async function runEngineBench(argv: readonly string[]): Promise<unknown> {
  const args = parseArgs(argv, {
    values: ['contexts', 'decode-tokens', 'chunk-size', 'threads'],
    booleans: ['quick'],
  });
  const quick = args.booleans.has('quick');
  const contexts = intListFlag(args, 'contexts') ?? (quick ? [128, 512] : [512, 2048, 8192]);
  const decodeTokens = intFlag(args, 'decode-tokens', quick ? 8 : 16, 1);
  const chunkSize = intFlag(args, 'chunk-size', 256, 1);
  const threads = intFlag(args, 'threads', 0, 0);
  const log = (m: string) => process.stderr.write(`${m}\n`);

  log('measuring memory copy bandwidth...');
  const bandwidth = measureCopyBandwidth();
  log(`copy bandwidth: ${(bandwidth / 1e9).toFixed(1)} GB/s (read + write)`);
  const models = quick ? [DEMO_SIZED] : [DEMO_SIZED, QWEN_0_5B];
  const results = [];
  for (const model of models) {
    results.push(await benchModel(model, contexts, decodeTokens, chunkSize, threads, bandwidth));
  }
  const report = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    copyBandwidthBytesPerSecond: bandwidth,
    quick,
    chunkSize,
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    models: results,
  };
  // Quick runs are smoke checks, not figures to publish: they go to a git-ignored local file.
  const out = writeBenchResult(quick ? 'local-engine-quick.json' : 'engine.json', report);
  log(`wrote ${out}`);
  return report;
}

async function benchModel(
  model: BenchModel,
  contexts: number[],
  decodeTokens: number,
  chunkSize: number,
  threads: number,
  bandwidth: number,
) {
  const log = (m: string) => process.stderr.write(`[${model.name}] ${m}\n`);
  const dir = benchCheckpoint(model, log, log);
  const t0 = performance.now();
  const { session, manifest } = await openModelSession(dir, {
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
  });
  log(`graph ready and session open in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const spec: ModelSpec = manifest.spec;
  const figures: ContextFigures[] = [];
  let peakRss = process.memoryUsage.rss();
  try {
    for (const context of contexts) {
      const ids = Array.from({ length: context }, (_, i) => (i * 7919 + 13) % spec.vocabSize);
      const cache = session.emptyCache();
      try {
        const pre = await prefill(session, cache, ids, {
          chunkSize,
          onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
        });
        // Room for every decode step, as generate() reserves, so no step regrows the cache.
        cache.reserve(decodeTokens + 2);
        let token = argmax(pre.logits);
        // Two untimed steps first: the first runs after prefill's larger shapes were planned.
        for (let i = 0; i < 2; i++) {
          const out = await session.run({
            inputIds: [token],
            positionIds: [cache.nextPosition],
            cache,
          });
          token = argmax(out.logits);
        }
        const decodeContext = cache.length(0);
        const start = performance.now();
        for (let i = 0; i < decodeTokens; i++) {
          const out = await session.run({
            inputIds: [token],
            positionIds: [cache.nextPosition],
            cache,
          });
          token = argmax(out.logits);
        }
        const decodeMs = performance.now() - start;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        const decodeRate = (decodeTokens * 1000) / decodeMs;
        // The roofline at the mean context of the measured steps.
        const roof = decodeRoofline(spec, decodeContext + decodeTokens / 2, bandwidth);
        const f: ContextFigures = {
          context,
          prefillMs: pre.ms,
          prefillTokensPerSecond: (context * 1000) / pre.ms,
          decodeTokens,
          decodeTokensPerSecond: decodeRate,
          rooflineTokensPerSecond: roof.tokensPerSecond,
          fractionOfRoofline: decodeRate / roof.tokensPerSecond,
          kvBytes: cache.bytes(),
        };
        figures.push(f);
        log(
          `context ${context}: prefill ${f.prefillTokensPerSecond.toFixed(1)} tok/s, decode ${decodeRate.toFixed(2)} tok/s = ${(100 * f.fractionOfRoofline).toFixed(1)}% of roofline ${roof.tokensPerSecond.toFixed(1)} tok/s`,
        );
      } finally {
        cache.dispose();
      }
    }
  } finally {
    await session.dispose();
  }
  return {
    name: model.name,
    spec,
    weightBytesPerToken: weightBytesPerToken(spec),
    kvBytesPerToken: kvBytesPerToken(spec),
    provider: session.report.provider,
    /** Largest RSS sampled while this model ran (prefill chunks and after decoding). */
    peakRssBytes: peakRss,
    contexts: figures,
  };
}
