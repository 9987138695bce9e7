/**
 * Per-layer eviction-error scores (CompressKV calibration): parsing and normalisation.
 */
import { KvLensError } from '../../../../app/errors';

/**
 * Scales scores to sum 1 (L1), as the allocation expects; already-normalised input is returned
 * unchanged (within 1e-9) so files written by the calibration reproduce bit for bit.
 * Throws on negative, non-finite or all-zero scores.
 */
export function normaliseLayerScores(scores: readonly number[], source = 'layer scores'): number[] {
  if (scores.length === 0) throw new KvLensError('invalid-argument', `${source}: no layers.`);
  for (const [l, v] of scores.entries()) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new KvLensError(
        'invalid-argument',
        `${source}: layer ${l} has score ${String(v)}; scores must be finite numbers >= 0.`,
      );
    }
  }
  const sum = scores.reduce((a, x) => a + x, 0);
  if (sum <= 0) throw new KvLensError('invalid-argument', `${source}: all scores are zero.`);
  if (Math.abs(sum - 1) <= 1e-9) return [...scores];
  return scores.map((x) => x / sum);
}

/**
 * Reads the layer scores out of parsed JSON: a plain array, or an object whose `avg_score` is
 * that array (the layout of the CompressKV reference's layer-score files). Normalised.
 */
export function parseLayerScores(json: unknown, source = 'layer scores'): number[] {
  const arr = Array.isArray(json)
    ? json
    : json !== null &&
        typeof json === 'object' &&
        Array.isArray((json as { avg_score?: unknown }).avg_score)
      ? (json as { avg_score: unknown[] }).avg_score
      : undefined;
  if (!arr) {
    throw new KvLensError(
      'invalid-argument',
      `${source}: expected a JSON array of per-layer scores or an object with an "avg_score" array.`,
    );
  }
  return normaliseLayerScores(arr as number[], source);
}
