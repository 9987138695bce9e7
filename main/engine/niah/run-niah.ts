/**
 * The needle-in-a-haystack harness: every (length, depth, needle) prompt is prefilled ONCE with
 * window scores; each method x budget then selects from those stored scores, gathers its
 * compressed cache and decodes greedily (prefill once, compress many times).
 */
import { KvLensError } from '../../../app/errors';
import type { Calibration } from '../../../app/kv/kept-positions';
import { KV_METHODS, type KvMethod } from '../../../app/kv/methods';
import { loadCalibration } from '../calibration/calibration-folder';
import { prefill } from '../generation/prefill';
import { argmax } from '../generation/sampling';
import { loadModel, type LoadedModel } from '../load-model';
import { selectKept } from '../kv/select-kept';
import type { ProviderChoice } from '../runtime/providers';
import { exactMatch, rouge1Recall } from './answer-score';
import { buildProbe } from './build-probe';
import { decodeGreedy } from './decode-greedy';
import type { HaystackSource } from './haystack';
import type { Needle } from './needles';
import { probeGrid, type GridCell } from './probe-grid';

export interface NiahCase {
  method: KvMethod;
  budget: number;
  length: number;
  promptTokens: number;
  depth: number;
  needle: string;
  answer: string;
  score: number;
  exact: boolean;
  output: string;
}

export interface NiahProgress {
  done: number;
  total: number;
  cell: string;
  elapsedMs: number;
  etaMs: number;
}

export interface NiahOptions {
  methods: KvMethod[];
  budgets: number[];
  lengths: number[];
  depths: number[];
  needles?: Needle[];
  needlesPerCell?: number;
  haystack?: HaystackSource;
  maxNewTokens?: number;
  seed?: number;
  /** Policy window W (default 8). */
  window?: number;
  /** Keep the question turn whatever its score, as the app does (policy keptTail). */
  keepQuestion?: boolean;
  /** Default: the model's calibration (loadCalibration); CompressKV falls back without it. */
  calibration?: Calibration;
  cacheDir?: string;
  provider?: ProviderChoice;
  signal?: AbortSignal;
  onProgress?: (p: NiahProgress) => void;
}

export interface NiahRun {
  cases: NiahCase[];
  warnings: string[];
  /** Methods that could not run on this model, with the reason. */
  skipped: { method: KvMethod; reason: string }[];
  calibration: string;
  model: { dir: string; family: string; numLayers: number; numHeads: number };
}

export const NIAH_DEFAULT_MAX_NEW_TOKENS = 24;

/** Runs the whole grid on the model in `modelDir`. */
export async function runNiah(modelDir: string, o: NiahOptions): Promise<NiahRun> {
  for (const m of o.methods) {
    if (!KV_METHODS.includes(m))
      throw new KvLensError(
        'invalid-argument',
        `Unknown method ${m}. Allowed: ${KV_METHODS.join(', ')}.`,
      );
  }
  if (o.budgets.length === 0 || o.budgets.some((b) => !Number.isInteger(b) || b < 1)) {
    throw new KvLensError(
      'invalid-argument',
      `Budgets must be integers >= 1, got ${o.budgets.join(',')}.`,
    );
  }
  const cells = probeGrid({
    lengths: o.lengths,
    depths: o.depths,
    seed: o.seed ?? 0,
    ...(o.needles ? { needles: o.needles } : {}),
    ...(o.needlesPerCell ? { needlesPerCell: o.needlesPerCell } : {}),
    ...(o.haystack ? { haystack: o.haystack } : {}),
  });
  const model = await loadModel(modelDir, {
    ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    ...(o.provider ? { provider: o.provider } : {}),
  });
  try {
    const loaded = o.calibration
      ? undefined
      : await loadCalibration(modelDir, o.cacheDir ? { cacheDir: o.cacheDir } : {});
    const calibration = o.calibration ?? loaded;
    const skipped: NiahRun['skipped'] = [];
    let methods = o.methods;
    if (methods.includes('h2o') && !model.session.hasScoresAll) {
      skipped.push({
        method: 'h2o',
        reason: "the model graph has no attn_scores_all output (H2O's accumulated attention)",
      });
      methods = methods.filter((m) => m !== 'h2o');
    }
    const warnings = new Set<string>();
    const cases: NiahCase[] = [];
    const weights = cells.map((c) => c.length);
    const total = weights.reduce((a, b) => a + b, 0);
    const start = performance.now();
    let doneTokens = 0;
    for (const [i, cell] of cells.entries()) {
      cases.push(...(await runCell(model, cell, methods, o, calibration, warnings)));
      doneTokens += weights[i]!;
      const elapsedMs = performance.now() - start;
      o.onProgress?.({
        done: i + 1,
        total: cells.length,
        cell: cell.id,
        elapsedMs,
        etaMs: (elapsedMs / doneTokens) * (total - doneTokens),
      });
    }
    return {
      cases,
      warnings: [...warnings],
      skipped,
      calibration: loaded
        ? `${loaded.files.join(', ')}`
        : o.calibration
          ? 'given by the caller'
          : 'none (CompressKV fallback)',
      model: {
        dir: modelDir,
        family: model.spec.family,
        numLayers: model.spec.numLayers,
        numHeads: model.spec.numHeads,
      },
    };
  } finally {
    await model.dispose();
  }
}

/** One prompt: prefill once, then every method x budget from the stored scores. */
async function runCell(
  model: LoadedModel,
  cell: GridCell,
  methods: readonly KvMethod[],
  o: NiahOptions,
  calibration: Calibration | undefined,
  warnings: Set<string>,
): Promise<NiahCase[]> {
  const { session, tokenizer } = model;
  const probe = buildProbe(tokenizer, cell.haystack, cell);
  const window = o.window ?? 8;
  const full = session.emptyCache();
  const decodeOpts = {
    maxNewTokens: o.maxNewTokens ?? NIAH_DEFAULT_MAX_NEW_TOKENS,
    eosIds: tokenizer.eosTokenIds,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const out: NiahCase[] = [];
  try {
    const pre = await prefill(session, full, probe.promptIds, {
      window,
      scoresAll: methods.includes('h2o'),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const first = argmax(pre.logits);
    const record = (method: KvMethod, budget: number, tokens: number[]) => {
      const output = tokenizer.decode(tokens);
      out.push({
        method,
        budget,
        length: cell.length,
        promptTokens: probe.promptIds.length,
        depth: cell.depth,
        needle: cell.needle.id,
        answer: cell.needle.answer,
        score: rouge1Recall(cell.needle.answer, output),
        exact: exactMatch(cell.needle.answer, output),
        output,
      });
    };
    for (const method of methods) {
      if (method === 'full') {
        // The full cache does not depend on the budget: decode once, report it under each.
        const cache = full.clone();
        try {
          const tokens = await decodeGreedy(session, cache, first, decodeOpts);
          for (const b of o.budgets) record(method, b, tokens);
        } finally {
          cache.dispose();
        }
        continue;
      }
      for (const budget of o.budgets) {
        const policy = { window, ...(o.keepQuestion ? { keptTail: probe.questionTokens } : {}) };
        const sel = selectKept(method, pre.scores!, budget, policy, calibration);
        sel.warnings.forEach((w) => warnings.add(w));
        const cache = full.gather(sel.layers);
        try {
          record(method, budget, await decodeGreedy(session, cache, first, decodeOpts));
        } finally {
          cache.dispose();
        }
      }
    }
  } finally {
    full.dispose();
  }
  return out;
}
