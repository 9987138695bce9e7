/**
 * A plain float64 forward pass of the Hugging Face Llama family (llama, mistral, qwen2, qwen3),
 * used only by tests to check the ONNX path. Written from the model math alone: loops over
 * tokens, heads and dimensions, nothing shared with the graph builder.
 *
 * One call runs S new tokens on top of an explicit cache. Masking is by cache index, as in the
 * graph contract: every cached entry is visible to every new row, and new token j is visible to
 * row i iff j <= i. Positions are explicit, so a test can evict entries and decode at position T.
 */
import { queryHeadsPerKvHead, type ModelSpec } from '../../app/model/model-spec';
import { addInPlace, dot, linear, rmsNorm, silu, softmax } from './reference-math';
import { cloneReferenceCache, emptyReferenceCache, type ReferenceKvCache } from './reference-cache';
import {
  loadReferenceWeights,
  type ReferenceLayerWeights,
  type WeightSource,
} from './reference-weights';
import { applyRope, ropeInvFreq } from './rope';

export interface ReferenceForwardOptions {
  /** Position id of each token; default cache.nextPosition, +1, ... */
  positions?: number[];
  /** Cache to run on top of (not modified); default empty. */
  cache?: ReferenceKvCache;
  /** Indices of the rows (0..S-1) whose attention probabilities add to `attnScores`. */
  scoreRows?: number[];
}

export interface ReferenceForwardResult {
  /** Logits of the last token, vocab_size values. */
  logits: Float64Array;
  /** The input cache with this call's K/V appended (a new object). */
  cache: ReferenceKvCache;
  /** [layer][query head][cache entry]: sum of softmax probabilities over the score rows. */
  attnScores: Float64Array[][];
  /** Same, summed over all S rows. */
  attnScoresAll: Float64Array[][];
}

/** Runs tokens on top of an explicit KV cache; returns last-token logits, new cache and scores. */
export function referenceForwardWithCache(
  source: WeightSource,
  tokens: number[],
  options: ReferenceForwardOptions = {},
): ReferenceForwardResult {
  const w = loadReferenceWeights(source);
  const spec = w.spec;
  const S = tokens.length;
  if (S === 0) throw new Error('reference: at least one token is needed');
  const cache = cloneReferenceCache(options.cache ?? emptyReferenceCache(spec));
  const positions =
    options.positions ?? Array.from({ length: S }, (_, i) => cache.nextPosition + i);
  if (positions.length !== S) {
    throw new Error(`reference: ${S} tokens but ${positions.length} positions`);
  }
  const scoreRows = new Set(options.scoreRows ?? []);
  const h = spec.hiddenSize;
  const invFreq = ropeInvFreq(spec);

  let xs = tokens.map((t) => {
    if (!Number.isInteger(t) || t < 0 || t >= spec.vocabSize) {
      throw new Error(`reference: token ${t} outside vocab of ${spec.vocabSize}`);
    }
    return w.embed.slice(t * h, (t + 1) * h);
  });
  const attnScores: Float64Array[][] = [];
  const attnScoresAll: Float64Array[][] = [];
  w.layers.forEach((lw, l) => {
    const layerCache = cache.layers[l];
    if (!layerCache || layerCache.length !== spec.numKvHeads) {
      throw new Error(`reference: cache layer ${l} must have ${spec.numKvHeads} KV heads`);
    }
    const out = attentionBlock(spec, lw, xs, positions, layerCache, invFreq, scoreRows);
    attnScores.push(out.scores);
    attnScoresAll.push(out.scoresAll);
    xs = xs.map((x, i) => {
      const r = Float64Array.from(x);
      addInPlace(r, out.outputs[i]!);
      addInPlace(r, mlpBlock(lw, rmsNorm(r, lw.postNorm, spec.rmsNormEps), spec.intermediateSize));
      return r;
    });
  });
  cache.nextPosition = positions.reduce((m, p) => Math.max(m, p + 1), cache.nextPosition);
  const last = rmsNorm(xs[S - 1]!, w.finalNorm, spec.rmsNormEps);
  return { logits: linear(w.lmHead, last, spec.vocabSize), cache, attnScores, attnScoresAll };
}

/** Logits of the last token of a prompt run from an empty cache. */
export function referenceLogits(
  source: WeightSource,
  tokens: number[],
  positions?: number[],
): Float64Array {
  return referenceForwardWithCache(source, tokens, positions ? { positions } : {}).logits;
}

/** down(silu(gate(x)) * up(x)). */
function mlpBlock(lw: ReferenceLayerWeights, a: Float64Array, inter: number) {
  const g = linear(lw.gate, a, inter);
  const u = linear(lw.up, a, inter);
  const m = new Float64Array(inter);
  for (let i = 0; i < inter; i++) m[i] = silu(g[i]!) * u[i]!;
  return linear(lw.down, m, a.length);
}

/** Self-attention of one layer for S rows; appends this layer's K/V to `layerCache`. */
function attentionBlock(
  spec: ModelSpec,
  lw: ReferenceLayerWeights,
  xs: Float64Array[],
  positions: number[],
  layerCache: ReferenceKvCache['layers'][number],
  invFreq: Float64Array,
  scoreRows: Set<number>,
) {
  const { numHeads: H, numKvHeads: G, headDim: d, rmsNormEps: eps } = spec;
  const rep = queryHeadsPerKvHead(spec);
  const S = xs.length;
  const past = layerCache.map((entries) => entries.length);
  const head = (v: Float64Array, i: number) => v.slice(i * d, (i + 1) * d);
  const prep = (v: Float64Array, norm: Float64Array | undefined, pos: number) =>
    applyRope(norm ? rmsNorm(v, norm, eps) : v, pos, invFreq);

  const normed = xs.map((x) => rmsNorm(x, lw.inputNorm, eps));
  const qs = normed.map((a, i) => {
    const q = linear(lw.q, a, H * d, lw.qBias);
    return Array.from({ length: H }, (_, hh) => prep(head(q, hh), lw.qNorm, positions[i]!));
  });
  normed.forEach((a, i) => {
    const k = linear(lw.k, a, G * d, lw.kBias);
    const v = linear(lw.v, a, G * d, lw.vBias);
    for (let g = 0; g < G; g++) {
      const key = prep(head(k, g), lw.kNorm, positions[i]!);
      layerCache[g]!.push({ position: positions[i]!, key, value: head(v, g) });
    }
  });

  const scores = Array.from(
    { length: H },
    (_, hh) => new Float64Array(past[Math.floor(hh / rep)]! + S),
  );
  const scoresAll = scores.map((s) => new Float64Array(s.length));
  const outputs = qs.map((qRow, i) => {
    const concat = new Float64Array(H * d);
    for (let hh = 0; hh < H; hh++) {
      const g = Math.floor(hh / rep);
      const visible = layerCache[g]!.slice(0, past[g]! + i + 1);
      const logits = Float64Array.from(visible, (e) => dot(qRow[hh]!, e.key) / Math.sqrt(d));
      const p = softmax(logits);
      for (let j = 0; j < p.length; j++) {
        scoresAll[hh]![j] = scoresAll[hh]![j]! + p[j]!;
        if (scoreRows.has(i)) scores[hh]![j] = scores[hh]![j]! + p[j]!;
        for (let c = 0; c < d; c++)
          concat[hh * d + c] = concat[hh * d + c]! + p[j]! * visible[j]!.value[c]!;
      }
    }
    return linear(lw.o, concat, spec.hiddenSize);
  });
  return { outputs, scores, scoresAll };
}
