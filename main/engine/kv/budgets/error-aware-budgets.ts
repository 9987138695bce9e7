/**
 * CompressKV's error-aware per-layer budgets (compresskv.md, "Budgets (error-aware allocation)").
 */
import { KvLensError } from '../../../../app/errors';

/** Rounds to the nearest integer, exact halves to the even neighbour (2.5 -> 2, 3.5 -> 4). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface ErrorAwareParams {
  /** B: average budget per layer; the total is B x L. */
  budget: number;
  /** m: smallest layer budget. */
  min: number;
  /** M: largest layer budget. */
  max: number;
}

/**
 * b_l = clip(m + roundHalfEven(e_l * (total - L*m)), m, M), then round-robin fix-up passes.
 *
 * `layerScores` must be L1-normalised (see normaliseLayerScores). While the sum is short, each
 * pass walks the layers still below M in order of decreasing e_l and adds 1 to each in turn;
 * while it is over, each pass walks the layers above m in order of increasing e_l and takes 1
 * from each. Ties in e keep layer order (stable sort). Throws when no allocation within [m, M]
 * can reach the total.
 */
export function errorAwareBudgets(layerScores: readonly number[], p: ErrorAwareParams): number[] {
  const L = layerScores.length;
  const total = p.budget * L;
  const { min: m, max: M } = p;
  if (L === 0) return [];
  if (m > M || L * m > total || L * M < total) {
    throw new KvLensError(
      'invalid-argument',
      `Cannot split a budget of ${p.budget} per layer over ${L} layers with layer budgets in [${m}, ${M}]: ` +
        `need min <= budget <= max.`,
    );
  }
  const spare = total - L * m;
  const b = layerScores.map((e) => Math.min(M, Math.max(m, m + roundHalfEven(e * spare))));
  let diff = total - b.reduce((a, x) => a + x, 0);
  const order = layerScores.map((e, l) => ({ e, l }));
  if (diff > 0) {
    order.sort((x, y) => y.e - x.e); // decreasing e; Array.prototype.sort is stable
    while (diff > 0) {
      for (const { l } of order) {
        if (diff === 0) break;
        if (b[l]! < M) {
          b[l]! += 1;
          diff--;
        }
      }
    }
  } else if (diff < 0) {
    order.sort((x, y) => x.e - y.e); // increasing e
    while (diff < 0) {
      for (const { l } of order) {
        if (diff === 0) break;
        if (b[l]! > m) {
          b[l]! -= 1;
          diff++;
        }
      }
    }
  }
  return b;
}
