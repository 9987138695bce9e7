/**
 * Per-layer importance scores over the prefix positions, for each scoring rule.
 *
 * Scores do not depend on the budget, so they are computed once per (ScoreInput, rule, options)
 * and cached; moving the budget slider then only re-runs the top-k selection.
 */
import type { Pooling } from '../../../app/kv/policy-options';
import { poolPrefix } from './pooling';
import { RankedScores } from './ranked-scores';
import type { ScoreInput } from './score-input';

/**
 * `snap`: per KV head, mean over its query heads of the pooled window scores (SnapKV).
 * `h2o`: per KV head, mean over its query heads of the accumulated scores, no pooling (H2O).
 * `heads`: one shared score per layer, mean of the pooled window scores of the listed query
 * heads of that layer (CompressKV with its semantic retrieval heads, or all heads as fallback).
 */
export type ScoringRule =
  | { kind: 'snap' }
  | { kind: 'h2o' }
  | { kind: 'heads'; headsPerLayer: readonly (readonly number[])[] };

export interface ScoringParams {
  /** Window size actually used (already capped at T). */
  window: number;
  kernel: number;
  pooling: Pooling;
}

/** Per layer: the T - window prefix scores of each KV head, or one shared set. */
export type LayerScores = RankedScores[];

const cache = new WeakMap<ScoreInput, Map<string, LayerScores[]>>();
// A few rules per prompt is all the UI switches between; older entries are dropped.
const MAX_CACHED_RULES = 6;

/** Scores of every layer under `rule`, cached per ScoreInput object. */
export function scoreLayers(
  input: ScoreInput,
  rule: ScoringRule,
  params: ScoringParams,
): LayerScores[] {
  const key = JSON.stringify([rule, params]);
  let byRule = cache.get(input);
  if (!byRule) {
    byRule = new Map();
    cache.set(input, byRule);
  }
  const hit = byRule.get(key);
  if (hit) return hit;
  const result = input.layers.map((_, l) => scoreLayer(input, l, rule, params));
  if (byRule.size >= MAX_CACHED_RULES) {
    const oldest = byRule.keys().next().value;
    if (oldest !== undefined) byRule.delete(oldest);
  }
  byRule.set(key, result);
  return result;
}

function scoreLayer(
  input: ScoreInput,
  l: number,
  rule: ScoringRule,
  p: ScoringParams,
): LayerScores {
  return rawScores(input, l, rule, p).map((s) => {
    // NaN (a broken score output) ranks last rather than poisoning the comparisons.
    for (let j = 0; j < s.length; j++) if (s[j] !== s[j]) s[j] = -Infinity;
    return new RankedScores(s);
  });
}

function rawScores(
  input: ScoreInput,
  l: number,
  rule: ScoringRule,
  p: ScoringParams,
): Float64Array[] {
  const { H, G, T } = input;
  const layer = input.layers[l]!;
  const n = T - p.window;
  const nRep = H / G;
  const groups = (): number[][] =>
    Array.from({ length: G }, (_, g) => Array.from({ length: nRep }, (_, i) => g * nRep + i));
  if (rule.kind === 'h2o') {
    const acc = layer.accumulated;
    if (!acc) throw new Error(`H2O needs accumulated scores for layer ${l}.`);
    return groups().map((heads) => {
      const out = new Float64Array(n);
      for (const h of heads) for (let j = 0; j < n; j++) out[j]! += acc[h * T + j]!;
      for (let j = 0; j < n; j++) out[j]! /= heads.length;
      return out;
    });
  }
  if (rule.kind === 'snap')
    return groups().map((heads) => meanPooled(layer.window, T, n, heads, p));
  const heads = rule.headsPerLayer[l];
  if (!heads) throw new Error(`No head list for layer ${l}.`);
  return [meanPooled(layer.window, T, n, heads, p)];
}

/** mean over `heads` of pooled_h[0..n), from the [H, T] window scores. */
function meanPooled(
  window: Float32Array,
  T: number,
  n: number,
  heads: readonly number[],
  p: ScoringParams,
): Float64Array {
  if (p.pooling === 'avg') {
    // Average pooling is linear: pooling the summed rows equals summing the pooled rows, at a
    // fraction of the cost (one pooling per group instead of one per head).
    const sum = new Float64Array(n);
    for (const h of heads) for (let j = 0; j < n; j++) sum[j]! += window[h * T + j]!;
    const out = poolPrefix(sum, 0, n, p.kernel, 'avg');
    for (let j = 0; j < n; j++) out[j]! /= heads.length;
    return out;
  }
  const out = new Float64Array(n);
  const tmp = new Float64Array(n);
  for (const h of heads) {
    poolPrefix(window, h * T, n, p.kernel, 'max', tmp);
    for (let j = 0; j < n; j++) out[j]! += tmp[j]!;
  }
  for (let j = 0; j < n; j++) out[j]! /= heads.length;
  return out;
}
