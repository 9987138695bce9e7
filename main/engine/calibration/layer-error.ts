/**
 * The layer eviction error of CompressKV's calibration (compresskv.md, "Layer eviction error"):
 * e_t = ||O_comp - O_full||_F / (||O_full||_F + 1e-5) per decode step and layer, summed over
 * steps and prompts, then L1-normalised across layers.
 */
import { KvLensError } from '../../../app/errors';

export const LAYER_ERROR_EPS = 1e-5;

/** ||comp - full||_F / (||full||_F + 1e-5) for two equal-size outputs. */
export function relativeFrobeniusError(comp: ArrayLike<number>, full: ArrayLike<number>): number {
  if (comp.length !== full.length) {
    throw new Error(`relativeFrobeniusError: ${comp.length} vs ${full.length} values`);
  }
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < full.length; i++) {
    const d = comp[i]! - full[i]!;
    diff += d * d;
    norm += full[i]! * full[i]!;
  }
  return Math.sqrt(diff) / (Math.sqrt(norm) + LAYER_ERROR_EPS);
}

/** Sums of per-layer errors over decode steps (one instance per prompt or for all). */
export class LayerErrorSum {
  readonly sums: Float64Array;
  steps = 0;

  constructor(numLayers: number) {
    this.sums = new Float64Array(numLayers);
  }

  /** Adds one decode step: per layer the compressed and the full attention output. */
  addStep(comp: readonly ArrayLike<number>[], full: readonly ArrayLike<number>[]): void {
    if (comp.length !== this.sums.length || full.length !== this.sums.length) {
      throw new Error(`LayerErrorSum: want ${this.sums.length} layers`);
    }
    for (let l = 0; l < this.sums.length; l++) {
      this.sums[l] = this.sums[l]! + relativeFrobeniusError(comp[l]!, full[l]!);
    }
    this.steps++;
  }
}

/** L1-normalises summed errors into layer scores (sum 1). */
export function normaliseLayerErrors(sums: readonly number[]): number[] {
  const total = sums.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new KvLensError(
      'invalid-argument',
      'Every layer eviction error is zero: the calibration prompts were no longer than the budget of 32 ' +
        'tokens per layer, so nothing was evicted. Use longer --lengths.',
    );
  }
  return sums.map((s) => s / total);
}
