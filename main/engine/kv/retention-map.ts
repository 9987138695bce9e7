/**
 * Builds the retention map (what the heatmap draws) from a policy's selection.
 */
import { keptCount, type KvSelection } from '../../../app/kv/kept-positions';
import type { RetentionMap } from '../../../app/kv/retention-map';

/**
 * Per-token layer counts and byte totals for a selection over a T-token prompt.
 *
 * `bytesPerToken` is the KV size of one token in one layer (2 x G x d x bytes per element), one
 * number for all layers or one per layer. A per-KV-head layer counts for a token when any of
 * its KV heads kept it; `tokenLayerWeight` adds the fraction of KV heads instead.
 */
export function buildRetentionMap(
  selection: KvSelection,
  T: number,
  bytesPerToken: number | readonly number[],
): RetentionMap {
  const L = selection.layers.length;
  const perLayerBytes = (l: number): number =>
    typeof bytesPerToken === 'number' ? bytesPerToken : (bytesPerToken[l] ?? 0);
  if (typeof bytesPerToken !== 'number' && bytesPerToken.length !== L) {
    throw new Error(`bytesPerToken has ${bytesPerToken.length} entries for ${L} layers.`);
  }
  const count = new Uint16Array(T);
  const weight = new Float32Array(T);
  const keptPerLayer: number[] = [];
  let tokensKept = 0;
  let fullBytes = 0;
  let compressedBytes = 0;
  // Scratch marks per layer: a token counts once per layer however many KV heads kept it.
  const heads = new Uint16Array(T);
  selection.layers.forEach((layer, l) => {
    const n = keptCount(layer);
    keptPerLayer.push(n);
    tokensKept += n;
    fullBytes += T * perLayerBytes(l);
    compressedBytes += n * perLayerBytes(l);
    if (layer.kind === 'shared') {
      for (const j of layer.kept) {
        count[j]! += 1;
        weight[j]! += 1;
      }
      return;
    }
    const G = layer.kvHeads.length;
    for (const kept of layer.kvHeads) for (const j of kept) heads[j]! += 1;
    for (const kept of layer.kvHeads) {
      for (const j of kept) {
        const c = heads[j]!;
        if (c === 0) continue; // already counted via another head
        count[j]! += 1;
        weight[j]! += c / G;
        heads[j] = 0;
      }
    }
  });
  let distinct = 0;
  for (let j = 0; j < T; j++) if (count[j]! > 0) distinct++;
  return {
    promptLength: T,
    layerCount: L,
    budgets: [...selection.budgets],
    keptPerLayer,
    layers: selection.layers,
    tokenLayerCount: count,
    tokenLayerWeight: weight,
    totals: { tokensKept, distinctTokensKept: distinct, fullBytes, compressedBytes },
  };
}
