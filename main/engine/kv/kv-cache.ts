/**
 * The KV cache the app owns: per layer K and V float32 [1, G, P_l, d] with an independent length
 * P_l per layer, and the ORIGINAL position of every cached entry.
 *
 * Positions are stored, not derived from indices, because eviction never renumbers them
 * (compresskv.md): after a gather, entry i of a layer can hold any original position, and after a
 * per-KV-head gather each KV head of a layer holds its own set. `nextPosition` (T, T+1, ...) is
 * tracked separately and never computed from a length.
 */
import { KvLensError } from '../../../app/errors';

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

interface LayerKv {
  /** [G, P, d] row-major (the leading batch dim of 1 is implicit). */
  key: Float32Array;
  value: Float32Array;
  length: number;
  positions: LayerPositions;
}

export class KvCache {
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  /** Position id of the next token fed to the model. */
  nextPosition: number;
  private layers: LayerKv[] | null;

  private constructor(dims: KvCacheDims, layers: LayerKv[], nextPosition: number) {
    this.numLayers = dims.numLayers;
    this.numKvHeads = dims.numKvHeads;
    this.headDim = dims.headDim;
    this.layers = layers;
    this.nextPosition = nextPosition;
  }

  /** An empty cache (P_l = 0 in every layer) for a fresh prompt. */
  static empty(dims: KvCacheDims, nextPosition = 0): KvCache {
    const layers: LayerKv[] = [];
    for (let l = 0; l < dims.numLayers; l++) {
      layers.push({
        key: new Float32Array(0),
        value: new Float32Array(0),
        length: 0,
        positions: { kind: 'shared', positions: new Int32Array(0) },
      });
    }
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

  /** K of a layer, [G, P_l, d]; treat as read-only (sessions feed it to ORT without copying). */
  keyData(layer: number): Float32Array {
    return this.layer(layer).key;
  }

  valueData(layer: number): Float32Array {
    return this.layer(layer).value;
  }

  /** Original positions of a layer's entries; shared or per KV head. */
  positions(layer: number): LayerPositions {
    return this.layer(layer).positions;
  }

  /** Original positions of the entries one KV head of a layer holds. */
  headPositions(layer: number, kvHead: number): Int32Array {
    const p = this.layer(layer).positions;
    if (p.kind === 'shared') return p.positions;
    const h = p.kvHeads[kvHead];
    if (!h) throw new RangeError(`KV head ${kvHead} out of range (G = ${this.numKvHeads})`);
    return h;
  }

  /**
   * Replaces a layer with the model's `present` tensors (old entries + S new ones appended).
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
      out.set(p);
      for (let i = 0; i < appended.length; i++) out[p.length + i] = appended[i]!;
      return out;
    };
    const positions: LayerPositions =
      old.positions.kind === 'shared'
        ? { kind: 'shared', positions: extend(old.positions.positions) }
        : { kind: 'per-kv-head', kvHeads: old.positions.kvHeads.map(extend) };
    this.live()[layer] = { key, value, length, positions };
  }

  /**
   * A NEW cache holding only the kept entries of each layer; this cache stays intact so another
   * selection (a new budget) can be applied to it later.
   */
  gather(selection: readonly LayerSelection[]): KvCache {
    if (selection.length !== this.numLayers) {
      throw new KvLensError(
        'invalid-argument',
        `A gather needs one selection per layer: got ${selection.length}, the cache has ${this.numLayers} layers.`,
      );
    }
    const layers = selection.map((sel, l) => this.gatherLayer(l, sel));
    return new KvCache(this.dims(), layers, this.nextPosition);
  }

  /** A deep copy (its own K/V buffers and positions). */
  clone(): KvCache {
    const layers = this.live().map((l): LayerKv => ({
      key: l.key.slice(),
      value: l.value.slice(),
      length: l.length,
      positions:
        l.positions.kind === 'shared'
          ? { kind: 'shared', positions: l.positions.positions.slice() }
          : { kind: 'per-kv-head', kvHeads: l.positions.kvHeads.map((p) => p.slice()) },
    }));
    return new KvCache(this.dims(), layers, this.nextPosition);
  }

  /** Bytes of K and V held per layer. */
  bytesPerLayer(): number[] {
    return this.live().map((l) => l.key.byteLength + l.value.byteLength);
  }

  /** Bytes of K and V held in all layers. */
  bytes(): number {
    return this.bytesPerLayer().reduce((a, b) => a + b, 0);
  }

  /** Drops the buffers; any later use throws. */
  dispose(): void {
    this.layers = null;
  }

  private dims(): KvCacheDims {
    return { numLayers: this.numLayers, numKvHeads: this.numKvHeads, headDim: this.headDim };
  }

  private live(): LayerKv[] {
    if (this.layers === null) throw new Error('KvCache used after dispose()');
    return this.layers;
  }

  private layer(layer: number): LayerKv {
    const l = this.live()[layer];
    if (!l) throw new RangeError(`Layer ${layer} out of range (the cache has ${this.numLayers})`);
    return l;
  }

  private gatherLayer(l: number, sel: LayerSelection): LayerKv {
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
    const d = this.headDim;
    const key = new Float32Array(G * count * d);
    const value = new Float32Array(G * count * d);
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
      const srcBase = g * src.length * d;
      const dstBase = g * count * d;
      for (let i = 0; i < count; i++) {
        const from = srcBase + indices[i]! * d;
        key.set(src.key.subarray(from, from + d), dstBase + i * d);
        value.set(src.value.subarray(from, from + d), dstBase + i * d);
      }
      headPos.push(Int32Array.from(kept));
    }
    const positions: LayerPositions =
      sel.kind === 'shared'
        ? { kind: 'shared', positions: headPos[0] ?? new Int32Array(0) }
        : { kind: 'per-kv-head', kvHeads: headPos };
    return { key, value, length: count, positions };
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
