/**
 * Builds small ScoreInputs from readable row lists, for the policy tests.
 */
import type { ScoreInput } from './score-input';

/**
 * `window[l][h]` is the row of query head h in layer l: the T prompt columns. Rows shorter than
 * T are zero-padded (the window columns rarely matter). `accumulated` likewise, when given.
 */
export function scoreInput(
  H: number,
  G: number,
  T: number,
  window: number[][][],
  accumulated?: number[][][],
): ScoreInput {
  const flat = (rows: number[][]): Float32Array => {
    const out = new Float32Array(H * T);
    rows.forEach((row, h) => out.set(row.slice(0, T), h * T));
    return out;
  };
  return {
    H,
    G,
    T,
    layers: window.map((rows, l) => {
      const acc = accumulated?.[l];
      return acc ? { window: flat(rows), accumulated: flat(acc) } : { window: flat(rows) };
    }),
  };
}
