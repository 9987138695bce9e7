/**
 * Feeds a contract graph from plain arrays and returns its outputs as plain arrays (tests only).
 */
import * as ort from 'onnxruntime-node';
import {
  INPUT_IDS,
  LOGITS,
  POSITION_IDS,
  SCORE_ROWS,
  attnScoresName,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from '../../../app/model/graph-contract';
import type { ModelSpec } from '../../../app/model/model-spec';

/** One layer's cache as [1, G, P, d] float32 data. */
export interface LayerKv {
  length: number;
  key: Float32Array;
  value: Float32Array;
}

export interface GraphRun {
  logits: Float32Array;
  logitsDims: readonly number[];
  present: LayerKv[];
  presentDims: (readonly number[])[];
  scores: Float32Array[];
  scoresDims: (readonly number[])[];
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
  const feeds: Record<string, ort.Tensor> = {
    [INPUT_IDS]: new ort.Tensor('int64', BigInt64Array.from(tokens.map(BigInt)), [1, S]),
    [POSITION_IDS]: new ort.Tensor('int64', BigInt64Array.from(positions.map(BigInt)), [1, S]),
    [SCORE_ROWS]: new ort.Tensor('float32', Float32Array.from(scoreRows ?? tokens.map(() => 1)), [
      1,
      S,
    ]),
  };
  past.forEach((kv, l) => {
    feeds[pastKeyName(l)] = new ort.Tensor('float32', kv.key, [1, G, kv.length, d]);
    feeds[pastValueName(l)] = new ort.Tensor('float32', kv.value, [1, G, kv.length, d]);
  });
  const out = await session.run(feeds);
  const get = (name: string): ort.Tensor => {
    const t = out[name];
    if (!t) throw new Error(`graph output ${name} missing`);
    return t;
  };
  const layers = past.map((_, l) => l);
  const run: GraphRun = {
    logits: get(LOGITS).data as Float32Array,
    logitsDims: get(LOGITS).dims,
    present: layers.map((l) => ({
      length: get(presentKeyName(l)).dims[2] ?? -1,
      key: get(presentKeyName(l)).data as Float32Array,
      value: get(presentValueName(l)).data as Float32Array,
    })),
    presentDims: layers.map((l) => get(presentKeyName(l)).dims),
    scores: layers.map((l) => get(attnScoresName(l)).data as Float32Array),
    scoresDims: layers.map((l) => get(attnScoresName(l)).dims),
  };
  for (const t of Object.values(out)) t.dispose();
  return run;
}

/** Keeps cache entries `keep[i]` (indices into the P axis) of one layer's [1, G, P, d] cache. */
export function gatherKv(kv: LayerKv, keep: number[], spec: ModelSpec): LayerKv {
  const { numKvHeads: G, headDim: d } = spec;
  const pick = (src: Float32Array): Float32Array => {
    const out = new Float32Array(G * keep.length * d);
    for (let g = 0; g < G; g++) {
      keep.forEach((p, j) =>
        out.set(
          src.subarray((g * kv.length + p) * d, (g * kv.length + p + 1) * d),
          (g * keep.length + j) * d,
        ),
      );
    }
    return out;
  };
  return { length: keep.length, key: pick(kv.key), value: pick(kv.value) };
}
