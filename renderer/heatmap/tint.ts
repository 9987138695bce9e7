/**
 * Colours of the heatmap: one warm hue whose strength grows with the number of layers that kept
 * a token; tokens no layer kept stay untinted.
 */

const HUE = [217, 119, 6] as const;

/** CSS colour for a token kept by `count` of `max` layers (null: draw nothing). */
export function tintColor(count: number, max: number): string | null {
  if (count <= 0 || max <= 0) return null;
  const f = Math.min(1, count / max);
  const alpha = 0.14 + 0.62 * f;
  return `rgba(${HUE[0]}, ${HUE[1]}, ${HUE[2]}, ${alpha.toFixed(3)})`;
}

/** Precomputed colours for counts 0..max, so a draw loop does no string work. */
export function tintPalette(max: number): (string | null)[] {
  const palette: (string | null)[] = [];
  for (let c = 0; c <= max; c++) palette.push(tintColor(c, max));
  return palette;
}
