/**
 * PyramidKV's per-layer budgets: linearly decreasing from the first layer to the last.
 */

export interface PyramidParams {
  /** B: average budget per layer, including the window. */
  budget: number;
  layers: number;
  /** W: window tokens, kept in every layer on top of the pyramid. */
  window: number;
  /** beta (20 in the PyramidKV reference): the last layer gets (B - W) / beta prefix tokens. */
  beta: number;
  /** T, when known: the first layer is capped at T - W prefix tokens, as in the reference. */
  promptLength?: number;
}

/**
 * Per-layer budgets B_l = W + p_l with p_l an arithmetic sequence, same total B x L.
 *
 * With P = B - W (average prefix budget), as in the PyramidKV reference:
 *   min = P / beta, max = 2P - min;
 *   if T is known and max > T - W: max = T - W, min = 2P - max (the first layer cannot keep
 *   more prefix tokens than exist; moving the excess down keeps the sum);
 *   p_l = max - l * (max - min) / (L - 1).
 * The sum of p_l is exactly L * P. The reference floors min and the step, which changes the
 * total (B=128, W=8, L=32 keeps 4016 prefix tokens instead of 3840); here the real p_l are
 * rounded by largest remainder (floors, then +1 to the largest fractional parts, ties to the
 * lower layer), so the total is exactly B x L as compresskv.md asks ("same total").
 * P <= 0, a single layer, or min > max (B > T: every layer keeps everything) -> uniform B.
 */
export function pyramidBudgets(p: PyramidParams): number[] {
  const L = p.layers;
  const P = p.budget - p.window;
  if (L <= 1 || P <= 0) return new Array<number>(L).fill(p.budget);
  let min = P / p.beta;
  let max = 2 * P - min;
  if (p.promptLength !== undefined && max > p.promptLength - p.window) {
    max = p.promptLength - p.window;
    min = 2 * P - max;
  }
  if (min > max) return new Array<number>(L).fill(p.budget);
  const step = (max - min) / (L - 1);
  const real = Array.from({ length: L }, (_, l) => max - l * step);
  const floors = real.map((x) => Math.floor(x + 1e-9));
  let remainder = Math.round(L * P - floors.reduce((a, x) => a + x, 0));
  const byFraction = real
    .map((x, l) => ({ frac: x - floors[l]!, l }))
    .sort((a, b) => b.frac - a.frac || a.l - b.l);
  for (let i = 0; remainder > 0; i = (i + 1) % L, remainder--) floors[byFraction[i]!.l]! += 1;
  return floors.map((x) => x + p.window);
}
