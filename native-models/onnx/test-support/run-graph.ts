/**
 * Feeds a contract graph from plain arrays and returns its outputs as plain arrays (tests only).
 */
import * as ort from 'onnxruntime-node';
import {
  INPUT_IDS,
  LOGITS,
  PAST_LENGTHS,
  POSITION_IDS,
  SCORE_ROWS,
  attnScoresAllName,
  attnScoresName,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import type { ModelSpec } from '../../../app/model/model-spec';

/**
 * One layer's cache as [1, G, capacity, d] float32 data of which the first `length` entries per
 * KV head are valid (capacity defaults to length: an exact-size buffer).
 */
export interface LayerKv {
  length: number;
  capacity?: number;
  key: Float32Array;
  value: Float32Array;
}

export interface GraphRun {
  logits: Float32Array;
  logitsDims: readonly number[];
  /** Valid past entries followed by the new ones, compact [G, len + S, d] (assembled here). */
  present: LayerKv[];
  /** The graph's new_key_values.{l}.* dims. */
  newDims: (readonly number[])[];
  scores: Float32Array[];
  scoresDims: (readonly number[])[];
  scoresAll: Float32Array[];
}

/** An empty cache for every layer. */
export function emptyKv(spec: ModelSpec): LayerKv[] {
  return Array.from({ length: spec.numLayers }, () => ({
    length: 0,
    key: new Float32Array(0),
    value: new Float32Array(0),
  }));
}

/** Runs tokens at positions on top of `past`, with `scoreRows` (1/0 per row; default all 1). */
export async function runGraph(
  session: ort.InferenceSession,
  spec: ModelSpec,
  tokens: number[],
  positions: number[],
  past: LayerKv[],
  scoreRows?: number[],
): Promise<GraphRun> {
  const S = tokens.length;
  const { numKvHeads: G, headDim: d } = spec;
  const i64 = (xs: number[], dims: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), dims);
  const feeds: Record<string, ort.Tensor> = {
    [INPUT_IDS]: i64(tokens, [1, S]),
    [POSITION_IDS]: i64(positions, [1, S]),
    [SCORE_ROWS]: new ort.Tensor('float32', Float32Array.from(scoreRows ?? tokens.map(() => 1)), [
      1,
      S,
    ]),
    [PAST_LENGTHS]: i64(
      past.map((kv) => kv.length),
      [past.length],
    ),
  };
  past.forEach((kv, l) => {
    const C = kv.capacity ?? kv.length;
    feeds[pastKeyName(l)] = new ort.Tensor('float32', kv.key, [1, G, C, d]);
    feeds[pastValueName(l)] = new ort.Tensor('float32', kv.value, [1, G, C, d]);
  });
  const out = await session.run(feeds);
  const get = (name: string): ort.Tensor => {
    const t = out[name];
    if (!t) throw new Error(`graph output ${name} missing`);
    return t;
  };
  const data = (name: string) => (get(name).data as Float32Array).slice();
  const layers = past.map((_, l) => l);
  const run: GraphRun = {
    logits: data(LOGITS),
    logitsDims: get(LOGITS).dims,
    present: layers.map((l) =>
      appendKv(
        past[l]!,
        { length: S, key: data(newKeyName(l)), value: data(newValueName(l)) },
        spec,
      ),
    ),
    newDims: layers.map((l) => get(newKeyName(l)).dims),
    scores: layers.map((l) => data(attnScoresName(l))),
    scoresDims: layers.map((l) => get(attnScoresName(l)).dims),
    scoresAll: layers.map((l) => data(attnScoresAllName(l))),
  };
  for (const t of Object.values(out)) t.dispose();
  return run;
}

/** The valid entries of `past` followed by those of `added`, as a compact [G, n, d] cache. */
export function appendKv(past: LayerKv, added: LayerKv, spec: ModelSpec): LayerKv {
  const { numKvHeads: G, headDim: d } = spec;
  const n = past.length + added.length;
  const join = (a: Float32Array, aCap: number, b: Float32Array, bCap: number) => {
    const out = new Float32Array(G * n * d);
    for (let g = 0; g < G; g++) {
      out.set(a.subarray(g * aCap * d, (g * aCap + past.length) * d), g * n * d);
      out.set(b.subarray(g * bCap * d, (g * bCap + added.length) * d), (g * n + past.length) * d);
    }
    return out;
  };
  const pc = past.capacity ?? past.length;
  const ac = added.capacity ?? added.length;
  return {
    length: n,
    key: join(past.key, pc, added.key, ac),
    value: join(past.value, pc, added.value, ac),
  };
}

/** Keeps cache entries `keep[i]` (indices into the P axis) of one layer's [1, G, P, d] cache. */
export function gatherKv(kv: LayerKv, keep: number[], spec: ModelSpec): LayerKv {
  const { numKvHeads: G, headDim: d } = spec;
  const C = kv.capacity ?? kv.length;
  const pick = (src: Float32Array): Float32Array => {
    const out = new Float32Array(G * keep.length * d);
    for (let g = 0; g < G; g++) {
      keep.forEach((p, j) =>
        out.set(src.subarray((g * C + p) * d, (g * C + p + 1) * d), (g * keep.length + j) * d),
      );
    }
    return out;
  };
  return { length: keep.length, key: pick(kv.key), value: pick(kv.value) };
}

/**
 * The same cache in a buffer of `capacity` entries per KV head whose unused slots hold large
 * random finite values (garbage the graph must ignore).
 */
export function withCapacity(kv: LayerKv, capacity: number, spec: ModelSpec, seed = 1): LayerKv {
  const { numKvHeads: G, headDim: d } = spec;
  let s = seed >>> 0 || 1;
  const garbage = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2e30;
  };
  const C0 = kv.capacity ?? kv.length;
  const widen = (src: Float32Array) => {
    const out = new Float32Array(G * capacity * d).map(garbage);
    for (let g = 0; g < G; g++) {
      out.set(src.subarray(g * C0 * d, (g * C0 + kv.length) * d), g * capacity * d);
    }
    return out;
  };
  return { length: kv.length, capacity, key: widen(kv.key), value: widen(kv.value) };
}
