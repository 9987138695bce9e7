/**
 * From per-probe head scores to the calibration's ranking: mean over the counted probes, then
 * per layer all query heads sorted best first (ties keep the lower head index first).
 */

/** Mean of [layer][head] matrices; all-zero when there are none. */
export function meanScores(perProbe: readonly number[][][], L: number, H: number): number[][] {
  const sum = Array.from({ length: L }, () => new Array<number>(H).fill(0));
  for (const m of perProbe) {
    for (let l = 0; l < L; l++) for (let h = 0; h < H; h++) sum[l]![h]! += m[l]?.[h] ?? 0;
  }
  const n = perProbe.length;
  return sum.map((row) => row.map((v) => (n > 0 ? v / n : 0)));
}

/** {"0": [heads of layer 0, best first], ...}: the format `inspect --heads` reads. */
export function rankHeads(scores: readonly number[][]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  scores.forEach((row, l) => {
    out[String(l)] = row
      .map((s, h) => ({ s, h }))
      .sort((a, b) => b.s - a.s || a.h - b.h)
      .map((x) => x.h);
  });
  return out;
}
