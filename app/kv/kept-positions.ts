/**
 * What a compression policy decides: per layer, the original prompt positions kept in the cache.
 */

/**
 * Kept positions of one layer, sorted ascending, never renumbered.
 *
 * `shared`: every KV head keeps the same positions (CompressKV, StreamingLLM, keep-all layers).
 * `per-kv-head`: KV head g keeps `kvHeads[g]`; every head keeps the same number of positions, so
 * the cache stays rectangular. Arrays may be shared between layers: never mutate them.
 */
export type KeptPositions =
  { kind: 'shared'; kept: Int32Array } | { kind: 'per-kv-head'; kvHeads: Int32Array[] };

/** Offline calibration of one model (compresskv.md, "CompressKV"); both parts optional. */
export interface Calibration {
  /** Layer index as a string -> query heads of that layer, best semantic retrieval head first. */
  heads?: Record<string, number[]>;
  /** Per-layer eviction error scores e_1..e_L (L1-normalised if they do not sum to 1). */
  layerScores?: number[];
}

/** The output of a policy for one prompt and one budget. */
export interface KvSelection {
  /** B_l per layer (includes the window); the full method reports T for every layer. */
  budgets: number[];
  layers: KeptPositions[];
  /** Fallbacks taken (missing calibration, lowered minimum, ...), in words for the user. */
  warnings: string[];
}

/** Number of cache entries per KV head of a layer. */
export function keptCount(layer: KeptPositions): number {
  if (layer.kind === 'shared') return layer.kept.length;
  return layer.kvHeads[0]?.length ?? 0;
}
