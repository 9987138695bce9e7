/**
 * What the heatmap draws for one compressed cache: the engine's RetentionMap plus how prompt
 * positions map onto the document text.
 */
import type { CompressionMethod } from '../chat/compression-methods';
import type { RetentionMap } from '../kv/retention-map';

/** Maps document tokens of a prompt to character spans of the document text. */
export interface TokenLayout {
  /** Identifies (document, model); the renderer caches layouts by it. */
  key: string;
  /** Prompt position of the first document token. */
  docTokenStart: number;
  /** Document token i covers text[spans[2i], spans[2i+1]). */
  spans: Int32Array;
}

export interface RetentionView {
  conversationId: string;
  method: CompressionMethod;
  budget: number;
  map: RetentionMap;
  /** Fallbacks the policy took (e.g. CompressKV without calibration), in words. */
  warnings: string[];
  layoutKey: string;
  /** Sent with the first view of a conversation, or when asked for; otherwise null. */
  layout: TokenLayout | null;
}

/** Kept counts for the "Kept N of M tokens (P%)" line. */
export interface KeptSummary {
  kept: number;
  total: number;
  percent: number;
}

/**
 * Summarises a view for all layers (average cache entries per layer) or for one layer.
 *
 * The average matches the budget's meaning (tokens per layer), so the slider and the line agree.
 */
export function keptSummary(map: RetentionMap, layer: number | null): KeptSummary {
  const total = map.promptLength;
  const kept =
    layer === null
      ? map.layerCount > 0
        ? Math.round(map.totals.tokensKept / map.layerCount)
        : 0
      : (map.keptPerLayer[layer] ?? 0);
  const percent = total > 0 ? (100 * kept) / total : 0;
  return { kept, total, percent };
}

/**
 * Per prompt position, how many of the chosen layers kept it (0..layerCount for all layers, 0/1
 * for one layer; a layer with per-KV-head positions counts when any head kept the token).
 * Written into `out` when it has the right length, so a drag does not allocate each frame.
 */
export function layerCounts(map: RetentionMap, layer: number | null, out?: Uint8Array): Uint8Array {
  const counts = out && out.length === map.promptLength ? out : new Uint8Array(map.promptLength);
  if (layer === null) {
    const src = map.tokenLayerCount;
    for (let i = 0; i < counts.length; i++) counts[i] = Math.min(255, src[i] ?? 0);
    return counts;
  }
  counts.fill(0);
  const kept = map.layers[layer];
  if (!kept) return counts;
  const lists = kept.kind === 'shared' ? [kept.kept] : kept.kvHeads;
  for (const positions of lists) {
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      if (p >= 0 && p < counts.length) counts[p] = 1;
    }
  }
  return counts;
}
