/**
 * The KV cache the app owns: per layer K and V float32 [1, G, P_l, d] with an independent length
 * P_l per layer, and the ORIGINAL position of every cached entry.
 *
 * Storage is a capacity buffer per layer ([G, C_l, d], C_l >= P_l, kv-buffers.ts) that sessions
 * hand to ONNX Runtime without copying (graph contract v2: past_key_values + past_lengths); a
 * step's new entries are written into the free slots. Reserve room before decoding
 * (`reserve(maxNewTokens)`) and no decode step ever copies the cache.
 *
 * Positions are stored, not derived from indices, because eviction never renumbers them
 * (compresskv.md): after a gather, entry i of a layer can hold any original position, and after a
 * per-KV-head gather each KV head of a layer holds its own set. `nextPosition` (T, T+1, ...) is
 * tracked separately and never computed from a length.
 */
import { KvLensError } from '../../../app/errors';
import {
  compactRows,
  emptyLayerBuffers,
  resized,
  withRoomFor,
  writeEntries,
  type HeadDims,
  type LayerBuffers,
  type PositionBuffers,
} from './kv-buffers';

/**
 * Which entries a gather keeps in one layer: original positions, strictly ascending. The
 * policies' KeptPositions (app/kv/kept-positions.ts) is one of these.
 */
export type LayerSelection =
  | { kind: 'shared'; kept: ArrayLike<number> }
  | { kind: 'per-kv-head'; kvHeads: readonly ArrayLike<number>[] };

/** The original positions held by one layer (same for all KV heads, or one list per KV head). */
export type LayerPositions =
  { kind: 'shared'; positions: Int32Array } | { kind: 'per-kv-head'; kvHeads: Int32Array[] };

export interface KvCacheDims {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
}

/** Spare slots per layer beyond the entries a new cache holds (gather, clone). */
export interface ReserveOptions {
  reserve?: number;
}

export class KvCache {
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  /** Position id of the next token fed to the model. */
  nextPosition: number;
  private layers: LayerBuffers[] | null;

  private constructor(dims: KvCacheDims, layers: LayerBuffers[], nextPosition: number) {
    this.numLayers = dims.numLayers;
    this.numKvHeads = dims.numKvHeads;
    this.headDim = dims.headDim;
    this.layers = layers;
    this.nextPosition = nextPosition;
  }

  /** An empty cache (P_l = 0 in every layer) for a fresh prompt. */
  static empty(dims: KvCacheDims, nextPosition = 0): KvCache {
    const layers = Array.from({ length: dims.numLayers }, emptyLayerBuffers);
    return new KvCache(dims, layers, nextPosition);
  }

  get disposed(): boolean {
    return this.layers === null;
  }

  /** Entries cached in a layer (P_l). */
  length(layer: number): number {
    return this.layer(layer).length;
  }

  lengths(): number[] {
    return this.live().map((l) => l.length);
  }

  /** Slots allocated in a layer (C_l >= P_l). */
  capacity(layer: number): number {
    return this.layer(layer).capacity;
  }

  /**
   * K of a layer, compact [G, P_l, d]. Without spare capacity this IS the storage (no copy; treat
   * as read-only); with spare slots it is a copy. Sessions feed `keyBuffer` instead.
   */
  keyData(layer: number): Float32Array {
    const l = this.layer(layer);
    return l.capacity === l.length ? l.key : compactRows(l.key, this.hd(), l.capacity, l.length);
  }

  valueData(layer: number): Float32Array {
    const l = this.layer(layer);
    return l.capacity === l.length
      ? l.value
      : compactRows(l.value, this.hd(), l.capacity, l.length);
  }

  /**
   * The storage of a layer's K, [G, C_l, d]: entries 0..P_l-1 of each KV head are valid, the rest
   * are spare slots holding finite leftovers. Fed to ORT as past_key_values without copying; it
   * is replaced (not resized) when the layer grows, so fetch it again after an append.
   */
  keyBuffer(layer: number): Float32Array {
    return this.layer(layer).key;
  }

  valueBuffer(layer: number): Float32Array {
    return this.layer(layer).value;
  }

  /** Original positions of a layer's entries; shared or per KV head. */
  positions(layer: number): LayerPositions {
    const l = this.layer(layer);
    return l.positions.kind === 'shared'
      ? { kind: 'shared', positions: l.positions.positions.subarray(0, l.length) }
      : { kind: 'per-kv-head', kvHeads: l.positions.kvHeads.map((p) => p.subarray(0, l.length)) };
  }

  /** Original positions of the entries one KV head of a layer holds. */
  headPositions(layer: number, kvHead: number): Int32Array {
    const l = this.layer(layer);
    const p = l.positions;
    const list = p.kind === 'shared' ? p.positions : p.kvHeads[kvHead];
    if (!list || kvHead < 0 || kvHead >= this.numKvHeads) {
      throw new RangeError(`KV head ${kvHead} out of range (G = ${this.numKvHeads})`);
    }
    return list.subarray(0, l.length);
  }

  /**
   * Makes room for `extra` more entries in every layer (one copy of a layer that lacks it), so
   * the next `extra` appended tokens write in place. Call before a decode loop.
   */
  reserve(extra: number): void {
    if (!Number.isInteger(extra) || extra < 0) {
      throw new RangeError(`reserve needs a whole number >= 0, got ${extra}`);
    }
    const layers = this.live();
    layers.forEach((l, i) => {
      if (l.length + extra > l.capacity) layers[i] = resized(l, this.hd(), l.length + extra);
    });
  }

  /**
   * Appends S new entries to a layer: `key`/`value` are [G, S, d] (the graph's
   * new_key_values.{l}.*), `appended` their position ids; every KV head gets the same ones.
   * Writes into spare slots, growing the layer (one copy, geometric) only when it is full.
   */
  appendLayer(
    layer: number,
    key: Float32Array,
    value: Float32Array,
    appended: ArrayLike<number>,
  ): void {
    const old = this.layer(layer);
    const expected = this.numKvHeads * appended.length * this.headDim;
    if (key.length !== expected || value.length !== expected) {
      throw new Error(
        `KV cache layer ${layer}: new entries have ${key.length}/${value.length} values, expected ${expected} (G=${this.numKvHeads}, S=${appended.length}, d=${this.headDim})`,
      );
    }
    const target = withRoomFor(old, this.hd(), old.length + appended.length);
    writeEntries(target, this.hd(), key, value, appended);
    this.live()[layer] = target;
  }

  /**
   * Replaces a layer with compact [G, P + S, d] tensors (its old entries + S new ones appended;
   * contract v1's `present`), adopting the arrays as storage without spare slots.
   *
   * `appended` are the position ids of the S new entries; every KV head gets the same ones.
   */
  replaceLayer(layer: number, key: Float32Array, value: Float32Array, appended: ArrayLike<number>) {
    const old = this.layer(layer);
    const length = old.length + appended.length;
    const expected = this.numKvHeads * length * this.headDim;
    if (key.length !== expected || value.length !== expected) {
      throw new Error(
        `KV cache layer ${layer}: present has ${key.length}/${value.length} values, expected ${expected} (G=${this.numKvHeads}, P=${length}, d=${this.headDim})`,
      );
    }
    const extend = (p: Int32Array): Int32Array => {
      const out = new Int32Array(length);
      out.set(p.subarray(0, old.length));
      for (let i = 0; i < appended.length; i++) out[old.length + i] = appended[i]!;
      return out;
    };
    const positions: PositionBuffers =
      old.positions.kind === 'shared'
        ? { kind: 'shared', positions: extend(old.positions.positions) }
        : { kind: 'per-kv-head', kvHeads: old.positions.kvHeads.map(extend) };
    this.live()[layer] = { key, value, capacity: length, length, positions };
  }

  /**
   * A NEW cache holding only the kept entries of each layer (plus `reserve` spare slots per
   * layer); this cache stays intact so another selection (a new budget) can be applied later.
   */
  gather(selection: readonly LayerSelection[], options: ReserveOptions = {}): KvCache {
    if (selection.length !== this.numLayers) {
      throw new KvLensError(
        'invalid-argument',
        `A gather needs one selection per layer: got ${selection.length}, the cache has ${this.numLayers} layers.`,
      );
    }
    const reserve = options.reserve ?? 0;
    const layers = selection.map((sel, l) => this.gatherLayer(l, sel, reserve));
    return new KvCache(this.dims(), layers, this.nextPosition);
  }

  /** A deep copy (its own buffers and positions), compact plus `reserve` spare slots per layer. */
  clone(options: ReserveOptions = {}): KvCache {
    const reserve = options.reserve ?? 0;
    const layers = this.live().map((l) => resized(l, this.hd(), l.length + reserve));
    return new KvCache(this.dims(), layers, this.nextPosition);
  }

  /** Bytes of the VALID K and V entries per layer (what the cache holds, not what it reserved). */
  bytesPerLayer(): number[] {
    const perEntry = 2 * this.numKvHeads * this.headDim * Float32Array.BYTES_PER_ELEMENT;
    return this.live().map((l) => l.length * perEntry);
  }

  /** Bytes of the valid K and V entries in all layers. */
  bytes(): number {
    return this.bytesPerLayer().reduce((a, b) => a + b, 0);
  }

  /** Bytes of K and V storage allocated in all layers, spare slots included. */
  reservedBytes(): number {
    return this.live().reduce((a, l) => a + l.key.byteLength + l.value.byteLength, 0);
  }

  /** Drops the buffers; any later use throws. */
  dispose(): void {
    this.layers = null;
  }

  private dims(): KvCacheDims {
    return { numLayers: this.numLayers, numKvHeads: this.numKvHeads, headDim: this.headDim };
  }

  private hd(): HeadDims {
    return { G: this.numKvHeads, d: this.headDim };
  }

  private live(): LayerBuffers[] {
    if (this.layers === null) throw new Error('KvCache used after dispose()');
    return this.layers;
  }

  private layer(layer: number): LayerBuffers {
    const l = this.live()[layer];
    if (!l) throw new RangeError(`Layer ${layer} out of range (the cache has ${this.numLayers})`);
    return l;
  }

  private gatherLayer(l: number, sel: LayerSelection, reserve: number): LayerBuffers {
    const src = this.layer(l);
    const G = this.numKvHeads;
    const perHead: readonly ArrayLike<number>[] =
      sel.kind === 'shared' ? Array.from({ length: G }, () => sel.kept) : sel.kvHeads;
    if (perHead.length !== G) {
      throw new KvLensError(
        'invalid-argument',
        `Layer ${l}: a per-KV-head selection needs ${G} lists, got ${perHead.length}.`,
      );
    }
    const count = perHead[0]?.length ?? 0;
    const capacity = count + reserve;
    const d = this.headDim;
    const key = new Float32Array(G * capacity * d);
    const value = new Float32Array(G * capacity * d);
    const headPos: Int32Array[] = [];
    for (let g = 0; g < G; g++) {
      const kept = perHead[g]!;
      if (kept.length !== count) {
        throw new KvLensError(
          'invalid-argument',
          `Layer ${l}: every KV head must keep the same number of entries (head 0 keeps ${count}, head ${g} keeps ${kept.length}).`,
        );
      }
      const indices = indicesOf(this.headPositions(l, g), kept, l, g);
      const srcBase = g * src.capacity * d;
      const dstBase = g * capacity * d;
      for (let i = 0; i < count; i++) {
        const from = srcBase + indices[i]! * d;
        key.set(src.key.subarray(from, from + d), dstBase + i * d);
        value.set(src.value.subarray(from, from + d), dstBase + i * d);
      }
      const pos = new Int32Array(capacity);
      for (let i = 0; i < count; i++) pos[i] = kept[i]!;
      headPos.push(pos);
    }
    const positions: PositionBuffers =
      sel.kind === 'shared'
        ? { kind: 'shared', positions: headPos[0] ?? new Int32Array(capacity) }
        : { kind: 'per-kv-head', kvHeads: headPos };
    return { key, value, capacity, length: count, positions };
  }
}

/** Cache indices of `kept` original positions within one head's position list. */
function indicesOf(held: Int32Array, kept: ArrayLike<number>, layer: number, head: number) {
  const where = new Map<number, number>();
  for (let i = 0; i < held.length; i++) where.set(held[i]!, i);
  const out = new Int32Array(kept.length);
  for (let i = 0; i < kept.length; i++) {
    const p = kept[i]!;
    if (i > 0 && p <= kept[i - 1]!) {
      throw new KvLensError(
        'invalid-argument',
        `Layer ${layer}, KV head ${head}: kept positions must be strictly ascending (${kept[i - 1]} then ${p}).`,
      );
    }
    const idx = where.get(p);
    if (idx === undefined) {
      throw new KvLensError(
        'invalid-argument',
        `Layer ${layer}, KV head ${head}: position ${p} is not in the cache (it holds ${held.length} entries).`,
      );
    }
    out[i] = idx;
  }
  return out;
}
