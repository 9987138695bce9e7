/**
 * Plain data the renderer draws: which prompt tokens the compressed cache still holds.
 *
 * Built in main (main/engine/kv/retention-map.ts); typed arrays survive structured clone (IPC)
 * and convert with Array.from for JSON.
 */
import type { KeptPositions } from './kept-positions';

export interface RetentionTotals {
  /** Sum over layers of the cache entries per KV head (what decoding attends over). */
  tokensKept: number;
  /** Prompt tokens kept by at least one layer (any KV head). */
  distinctTokensKept: number;
  /** KV bytes of the uncompressed prompt cache: T x sum of bytes per token per layer. */
  fullBytes: number;
  /** KV bytes after compression: sum over layers of kept entries x bytes per token. */
  compressedBytes: number;
}

export interface RetentionMap {
  promptLength: number;
  layerCount: number;
  /** B_l per layer, as the policy allocated it. */
  budgets: number[];
  /** Cache entries per KV head per layer (= min(B_l, T)). */
  keptPerLayer: number[];
  layers: KeptPositions[];
  /**
   * Per prompt token: the number of layers that kept it. A per-KV-head layer counts when ANY of
   * its KV heads kept the token (the token's information is still reachable in that layer).
   */
  tokenLayerCount: Uint16Array;
  /**
   * Per prompt token: the sum over layers of the fraction of that layer's KV heads that kept it.
   * Same scale as tokenLayerCount (0..L); equal to it when every layer is shared.
   */
  tokenLayerWeight: Float32Array;
  totals: RetentionTotals;
}

/** Character runs of a document with a heat in [0, 1], ready to paint. */
export interface HeatSpans {
  start: Int32Array;
  end: Int32Array;
  heat: Float32Array;
}
