/**
 * The reference pass's KV cache: per layer, per KV head, an ordered list of entries, each with
 * the position it was computed at. Tests edit it freely (drop entries, keep different positions
 * per head) to express eviction, then keep decoding with explicit position ids.
 */
import type { ModelSpec } from '../../app/model/model-spec';

export interface ReferenceKvEntry {
  /** The position id the token was run at (its K already carries this rotation). */
  position: number;
  /** Key after q/k-norm and RoPE, length head_dim. */
  key: Float64Array;
  value: Float64Array;
}

export interface ReferenceKvCache {
  /** layers[l][g] = the entries KV head g of layer l attends over, in cache order. */
  layers: ReferenceKvEntry[][][];
  /** Default position of the next token: one past the largest position ever run. */
  nextPosition: number;
}

/** An empty cache for a model. */
export function emptyReferenceCache(spec: Pick<ModelSpec, 'numLayers' | 'numKvHeads'>) {
  const layers: ReferenceKvEntry[][][] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    layers.push(Array.from({ length: spec.numKvHeads }, () => []));
  }
  return { layers, nextPosition: 0 } satisfies ReferenceKvCache;
}

/**
 * A copy of the cache keeping only the entries `keep(layer, kvHead, entry, index)` accepts.
 *
 * Entry arrays are shared (never mutated by the reference), the lists are new, so the input
 * cache stays usable for another scenario. nextPosition is unchanged: eviction never moves the
 * position of the next token.
 */
export function filterReferenceCache(
  cache: ReferenceKvCache,
  keep: (layer: number, kvHead: number, entry: ReferenceKvEntry, index: number) => boolean,
): ReferenceKvCache {
  return {
    nextPosition: cache.nextPosition,
    layers: cache.layers.map((heads, l) =>
      heads.map((entries, g) => entries.filter((e, i) => keep(l, g, e, i))),
    ),
  };
}

/** A copy of the cache whose lists can be appended to without touching the original. */
export function cloneReferenceCache(cache: ReferenceKvCache): ReferenceKvCache {
  return filterReferenceCache(cache, () => true);
}

/**
 * One layer's cache in the graph's past_key_values layout [G, P, d] (row-major), for feeding
 * the reference's K/V to another implementation. Every KV head must hold the same count.
 */
export function layerKvArrays(cache: ReferenceKvCache, layer: number) {
  const heads = cache.layers[layer];
  if (!heads) throw new Error(`reference cache has no layer ${layer}`);
  const length = heads[0]?.length ?? 0;
  if (heads.some((h) => h.length !== length)) {
    throw new Error(`reference cache layer ${layer}: KV heads hold different counts`);
  }
  const d = heads[0]?.[0]?.key.length ?? 0;
  const keys = new Float64Array(heads.length * length * d);
  const values = new Float64Array(keys.length);
  heads.forEach((entries, g) =>
    entries.forEach((e, p) => {
      keys.set(e.key, (g * length + p) * d);
      values.set(e.value, (g * length + p) * d);
    }),
  );
  return { keys, values, length, positions: heads[0]?.map((e) => e.position) ?? [] };
}
