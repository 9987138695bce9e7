/**
 * The "Cache budget" slider's log scale: slider steps 0..STEPS map to budgets min..max
 * geometrically, so small budgets (where methods differ most) get most of the travel.
 */
export const STEPS = 1000;

/** Budget for a slider step (an integer in min..max). */
export function budgetAt(step: number, min: number, max: number): number {
  if (max <= min) return min;
  const f = Math.min(1, Math.max(0, step / STEPS));
  return Math.round(Math.exp(Math.log(min) + f * (Math.log(max) - Math.log(min))));
}

/** Slider step for a budget (inverse of budgetAt, clamped). */
export function stepOf(budget: number, min: number, max: number): number {
  if (max <= min) return 0;
  const b = Math.min(max, Math.max(min, budget));
  return Math.round((STEPS * (Math.log(b) - Math.log(min))) / (Math.log(max) - Math.log(min)));
}
