/**
 * One entry point for every compression method: scores + budget -> kept positions per layer.
 *
 * The runtime calls it after prefill; the app calls it again on every budget-slider move, which
 * only re-runs budget allocation and top-k (scores are cached per ScoreInput, layer-scoring.ts).
 */
import { KvLensError } from '../../../app/errors';
import type { Calibration, KeptPositions, KvSelection } from '../../../app/kv/kept-positions';
import type { KvMethod } from '../../../app/kv/methods';
import { KV_METHOD_LABELS } from '../../../app/kv/methods';
import { resolvePolicyOptions, type PolicyOptions } from '../../../app/kv/policy-options';
import { errorAwareBudgets } from './budgets/error-aware-budgets';
import { normaliseLayerScores } from './budgets/layer-scores';
import { pyramidBudgets } from './budgets/pyramid-budgets';
import { allPositions, keepLayer, keepSinksAndRecent } from './keep-layer';
import { scoreLayers, type ScoringRule } from './layer-scoring';
import { srhHeadsPerLayer } from './srh-heads';
import { checkScoreInput, type ScoreInput } from './score-input';

/**
 * Kept positions for `method` at an average budget of `budget` tokens per layer (total B x L).
 *
 * Missing calibration never fails: CompressKV without heads scores with all heads, without layer
 * scores it uses uniform budgets, and each fallback adds a warning. Calibration that does not fit
 * the model (wrong layer count, head out of range) throws KvLensError('invalid-argument').
 */
export function selectKept(
  method: KvMethod,
  scores: ScoreInput,
  budget: number,
  options: Partial<PolicyOptions> = {},
  calibration?: Calibration,
): KvSelection {
  checkScoreInput(scores);
  if (!Number.isInteger(budget) || budget < 1) {
    throw new KvLensError('invalid-argument', `Budget must be an integer >= 1, got ${budget}.`);
  }
  const o = resolvePolicyOptions(options);
  const { T, H } = scores;
  const L = scores.layers.length;
  const w = Math.min(o.window, T);
  const params = { window: w, kernel: o.kernel, pooling: o.pooling };
  const warnings: string[] = [];
  const uniform = (): number[] => new Array<number>(L).fill(budget);
  const label = KV_METHOD_LABELS[method];

  const errorAware = (): number[] => {
    if (!calibration?.layerScores) {
      warnings.push(`${label}: no layer scores in the calibration; using uniform budgets.`);
      return uniform();
    }
    if (calibration.layerScores.length !== L) {
      throw new KvLensError(
        'invalid-argument',
        `The calibration has layer scores for ${calibration.layerScores.length} layers but the model has ${L}.`,
      );
    }
    const e = normaliseLayerScores(calibration.layerScores, 'calibration layer scores');
    const min = Math.min(o.minBudget, budget);
    if (min < o.minBudget) {
      warnings.push(
        `Budget ${budget} is below the minimum layer budget ${o.minBudget}; using ${min}.`,
      );
    }
    const max = Math.max(o.maxBudget ?? 3 * budget, budget);
    if (o.maxBudget !== undefined && o.maxBudget < budget) {
      warnings.push(
        `Budget ${budget} is above the maximum layer budget ${o.maxBudget}; using ${max}.`,
      );
    }
    return errorAwareBudgets(e, { budget, min, max });
  };
  const srhRule = (): ScoringRule => {
    const { heads, missing } = srhHeadsPerLayer(calibration?.heads, L, H, o.srhHeads);
    if (missing.length === L) {
      warnings.push(
        `${label}: no retrieval-head calibration; scoring every layer with all heads (one shared set per layer).`,
      );
    } else if (missing.length > 0) {
      warnings.push(
        `${label}: no retrieval-head calibration for layer${missing.length > 1 ? 's' : ''} ` +
          `${missing.join(', ')}; scoring those with all heads.`,
      );
    }
    return { kind: 'heads', headsPerLayer: heads };
  };
  if (method === 'full')
    return { budgets: new Array<number>(L).fill(T), layers: keepAll(L, T), warnings };
  if (method === 'streamingllm') {
    const kept = keepSinksAndRecent(T, o.sinks, budget);
    return { budgets: uniform(), layers: scores.layers.map(() => shared(kept)), warnings };
  }
  let budgets: number[];
  let rule: ScoringRule;
  switch (method) {
    case 'h2o':
      [budgets, rule] = [uniform(), { kind: 'h2o' }];
      break;
    case 'snapkv':
      [budgets, rule] = [uniform(), { kind: 'snap' }];
      break;
    case 'pyramidkv':
      budgets = pyramidBudgets({
        budget,
        layers: L,
        window: w,
        beta: o.pyramidBeta,
        promptLength: T,
      });
      rule = { kind: 'snap' };
      break;
    case 'compresskv':
      [budgets, rule] = [errorAware(), srhRule()];
      break;
    case 'srh-only':
      [budgets, rule] = [uniform(), srhRule()];
      break;
    case 'snapkv-layer-budgets':
      [budgets, rule] = [errorAware(), { kind: 'snap' }];
      break;
  }
  // Nothing to score when every layer keeps the whole prompt (budget >= T).
  if (budgets.every((b) => b >= T)) return { budgets, layers: keepAll(L, T), warnings };
  if (rule.kind === 'h2o') {
    const missing = scores.layers.findIndex((x) => !x.accumulated);
    if (missing >= 0) {
      throw new KvLensError(
        'unsupported',
        `H2O needs the accumulated attention of every prompt row (attn_scores_all), which layer ${missing} lacks; ` +
          `use a model graph that outputs it, or another method.`,
      );
    }
  }
  const perLayer = scoreLayers(scores, rule, params);
  return {
    budgets,
    layers: perLayer.map((s, l) =>
      keepLayer(s, T, w, budgets[l]!, rule.kind === 'heads', o.keptTail),
    ),
    warnings,
  };
}

function shared(kept: Int32Array): KeptPositions {
  return { kind: 'shared', kept };
}

function keepAll(L: number, T: number): KeptPositions[] {
  const kept = allPositions(T);
  return Array.from({ length: L }, () => shared(kept));
}
