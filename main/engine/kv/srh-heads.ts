/**
 * Which query heads score each layer under CompressKV: the top semantic retrieval heads.
 */
import { KvLensError } from '../../../app/errors';

/**
 * Per layer, the first min(count, H) heads of the calibration's ranking (best first).
 *
 * A layer without a ranking (or without any calibration) falls back to all H heads and is
 * listed in `missing` so the caller can warn. A head id outside 0..H-1 means the calibration
 * belongs to another model: that throws.
 */
export function srhHeadsPerLayer(
  ranking: Record<string, number[]> | undefined,
  L: number,
  H: number,
  count: number,
): { heads: number[][]; missing: number[] } {
  const all = Array.from({ length: H }, (_, h) => h);
  const missing: number[] = [];
  const heads = Array.from({ length: L }, (_, l) => {
    const ranked = ranking?.[String(l)];
    if (!ranked || ranked.length === 0) {
      missing.push(l);
      return all;
    }
    for (const h of ranked) {
      if (!Number.isInteger(h) || h < 0 || h >= H) {
        throw new KvLensError(
          'invalid-argument',
          `Retrieval-head calibration lists head ${String(h)} for layer ${l}, but the model has heads 0..${H - 1}.`,
        );
      }
    }
    return ranked.slice(0, Math.min(count, H));
  });
  return { heads, missing };
}
