/**
 * Maps per-token retention values onto document characters, for the heatmap.
 */
import type { HeatSpans } from '../../../app/kv/retention-map';

/**
 * Character runs with a heat in [0, 1] = value / maxValue (clamped), from per-token values and
 * per-token character spans [start, end) in the document.
 *
 * Tokens with start < 0 or an empty span (chat-template tokens, not in the document) are
 * skipped. Spans are expected in document order; characters shared with the previous token (one
 * character split over byte tokens) stay with the earlier token, so runs never overlap. Adjacent runs
 * with equal heat are merged, so the renderer paints few rectangles.
 */
export function spansHeat(
  values: ArrayLike<number>,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  maxValue: number,
): HeatSpans {
  const n = values.length;
  if (starts.length !== n || ends.length !== n) {
    throw new Error(`spansHeat: ${n} values but ${starts.length} starts and ${ends.length} ends.`);
  }
  const s: number[] = [];
  const e: number[] = [];
  const h: number[] = [];
  const scale = maxValue > 0 ? 1 / maxValue : 0;
  for (let t = 0; t < n; t++) {
    let start = starts[t]!;
    const end = ends[t]!;
    if (start < 0 || end <= start) continue;
    const heat = Math.min(1, Math.max(0, values[t]! * scale));
    const last = h.length - 1;
    if (last >= 0 && start < e[last]!) {
      start = e[last]!;
      if (end <= start) continue;
    }
    if (last >= 0 && start === e[last] && heat === h[last]) {
      e[last] = end;
      continue;
    }
    s.push(start);
    e.push(end);
    h.push(heat);
  }
  return { start: Int32Array.from(s), end: Int32Array.from(e), heat: Float32Array.from(h) };
}
