/**
 * Scores + budget -> selection -> retention map -> gathered decode cache: the compression step
 * of architecture.md ("The path of one question", step 5), shared by the document session, the
 * `generate` command and the benchmark.
 */
import type { Calibration, KvSelection } from '../../../app/kv/kept-positions';
import type { KvMethod } from '../../../app/kv/methods';
import type { PolicyOptions } from '../../../app/kv/policy-options';
import type { RetentionMap } from '../../../app/kv/retention-map';
import type { KvCache, KvCacheDims } from '../kv/kv-cache';
import { buildRetentionMap } from '../kv/retention-map';
import type { ScoreInput } from '../kv/score-input';
import { selectKept } from '../kv/select-kept';

export interface CompressionRequest {
  method: KvMethod;
  /** Average cached tokens per layer (compresskv.md); ignored by `full`. */
  budget: number;
  policy?: Partial<PolicyOptions>;
  calibration?: Calibration;
}

export interface Selected {
  selection: KvSelection;
  retention: RetentionMap;
  /** Policy + retention map time. */
  selectMs: number;
}

export interface Compressed extends Selected {
  /** A new cache with the kept entries; the caller owns it. */
  cache: KvCache;
  gatherMs: number;
}

/** The retention figures reported with an answer (JSON-friendly). */
export interface RetentionSummary {
  method: KvMethod;
  budget: number;
  /** B_l per layer. */
  budgets: number[];
  /** Cache entries per KV head per layer after compression. */
  keptPerLayer: number[];
  tokensKept: number;
  distinctTokensKept: number;
  promptTokens: number;
  kvBytesFull: number;
  kvBytesCompressed: number;
  warnings: string[];
}

/** K+V bytes of one token in one layer at float32. */
export function bytesPerTokenPerLayer(dims: KvCacheDims): number {
  return 2 * dims.numKvHeads * dims.headDim * 4;
}

/** Runs the policy and builds the retention map; no forward pass, no cache touched. */
export function selectForScores(
  scores: ScoreInput,
  request: CompressionRequest,
  dims: KvCacheDims,
): Selected {
  const t0 = performance.now();
  const budget = request.method === 'full' ? Math.max(1, scores.T) : request.budget;
  const selection = selectKept(
    request.method,
    scores,
    budget,
    request.policy ?? {},
    request.calibration,
  );
  const retention = buildRetentionMap(selection, scores.T, bytesPerTokenPerLayer(dims));
  return { selection, retention, selectMs: performance.now() - t0 };
}

/** Selects and gathers the kept entries of `full` (left intact) into a new decode cache. */
export function compressCache(
  full: KvCache,
  scores: ScoreInput,
  request: CompressionRequest,
): Compressed {
  const selected = selectForScores(scores, request, full);
  const t0 = performance.now();
  const cache = full.gather(selected.selection.layers);
  return { ...selected, cache, gatherMs: performance.now() - t0 };
}

/** Plain summary of a selection for stats and JSON output. */
export function summarise(request: CompressionRequest, selected: Selected): RetentionSummary {
  const { retention, selection } = selected;
  return {
    method: request.method,
    budget: request.method === 'full' ? retention.promptLength : request.budget,
    budgets: [...selection.budgets],
    keptPerLayer: [...retention.keptPerLayer],
    tokensKept: retention.totals.tokensKept,
    distinctTokensKept: retention.totals.distinctTokensKept,
    promptTokens: retention.promptLength,
    kvBytesFull: retention.totals.fullBytes,
    kvBytesCompressed: retention.totals.compressedBytes,
    warnings: [...selection.warnings],
  };
}
