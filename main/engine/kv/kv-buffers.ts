/**
 * One layer's storage in the KV cache: K and V capacity buffers [G, C, d] (head-major, the graph
 * contract's past_key_values layout) of which the first `length` entries per KV head are valid,
 * plus the original position of every entry in buffers of the same capacity.
 *
 * Appends write into the free slots (G small copies per tensor); only a full layer is copied,
 * into buffers grown geometrically, so a decode loop that reserved ahead never copies the cache.
 */

/** Original positions per slot: one list for all KV heads, or one per KV head. */
export type PositionBuffers =
  { kind: 'shared'; positions: Int32Array } | { kind: 'per-kv-head'; kvHeads: Int32Array[] };

export interface LayerBuffers {
  /** [G, capacity, d] row-major (the leading batch dim of 1 is implicit). */
  key: Float32Array;
  value: Float32Array;
  capacity: number;
  length: number;
  /** Each of `capacity` slots; the first `length` are meaningful. */
  positions: PositionBuffers;
}

export interface HeadDims {
  G: number;
  d: number;
}

/** Smallest growth step: a few appends of single tokens never copy twice in a row. */
const MIN_GROWTH = 64;
const GROWTH_FACTOR = 1.5;

/** A layer with no entries and no capacity. */
export function emptyLayerBuffers(): LayerBuffers {
  return {
    key: new Float32Array(0),
    value: new Float32Array(0),
    capacity: 0,
    length: 0,
    positions: { kind: 'shared', positions: new Int32Array(0) },
  };
}

/** The valid part of a [G, C, d] buffer as a compact [G, len, d] copy. */
export function compactRows(
  src: Float32Array,
  { G, d }: HeadDims,
  capacity: number,
  length: number,
): Float32Array {
  const out = new Float32Array(G * length * d);
  for (let g = 0; g < G; g++) {
    out.set(src.subarray(g * capacity * d, (g * capacity + length) * d), g * length * d);
  }
  return out;
}

/** A copy of `layer` in new buffers of exactly `capacity` (>= length) slots. */
export function resized(layer: LayerBuffers, dims: HeadDims, capacity: number): LayerBuffers {
  const { G, d } = dims;
  const { length } = layer;
  const move = (src: Float32Array) => {
    const out = new Float32Array(G * capacity * d);
    for (let g = 0; g < G; g++) {
      out.set(
        src.subarray(g * layer.capacity * d, (g * layer.capacity + length) * d),
        g * capacity * d,
      );
    }
    return out;
  };
  const movePositions = (p: Int32Array) => {
    const out = new Int32Array(capacity);
    out.set(p.subarray(0, length));
    return out;
  };
  const positions: PositionBuffers =
    layer.positions.kind === 'shared'
      ? { kind: 'shared', positions: movePositions(layer.positions.positions) }
      : { kind: 'per-kv-head', kvHeads: layer.positions.kvHeads.map(movePositions) };
  return { key: move(layer.key), value: move(layer.value), capacity, length, positions };
}

/** `layer` with room for `needed` entries: itself when it has it, else a geometric regrowth. */
export function withRoomFor(layer: LayerBuffers, dims: HeadDims, needed: number): LayerBuffers {
  if (needed <= layer.capacity) return layer;
  const grown = Math.max(needed, Math.ceil(layer.capacity * GROWTH_FACTOR), MIN_GROWTH);
  return resized(layer, dims, grown);
}

/**
 * Writes S new entries ([G, S, d] each, the graph's new_key_values) at slots length..length+S-1
 * of `layer` (which must have room) and records their positions for every KV head.
 */
export function writeEntries(
  layer: LayerBuffers,
  { G, d }: HeadDims,
  key: Float32Array,
  value: Float32Array,
  appended: ArrayLike<number>,
): void {
  const S = appended.length;
  const C = layer.capacity;
  const at = layer.length;
  for (let g = 0; g < G; g++) {
    const from = g * S * d;
    layer.key.set(key.subarray(from, from + S * d), (g * C + at) * d);
    layer.value.set(value.subarray(from, from + S * d), (g * C + at) * d);
  }
  const lists =
    layer.positions.kind === 'shared' ? [layer.positions.positions] : layer.positions.kvHeads;
  for (const list of lists) for (let i = 0; i < S; i++) list[at + i] = appended[i]!;
  layer.length = at + S;
}
