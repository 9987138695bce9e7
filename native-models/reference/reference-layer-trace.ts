/**
 * Layer-level views of the float64 reference, for checking the calibration graphs:
 * - `referenceLayerAttention`: ONE layer's attention block (projections, q/k norm, RoPE, softmax
 *   over an explicit cache, o_proj) applied to given normalised input rows, on any cache.
 * - `referenceTrace`: a forward pass that also records, per layer, the normalised input of the
 *   attention block and its output after o_proj.
 * Written from the model math (model-spec.ts and the brief's formulas); the trace's logits are
 * checked against referenceForwardWithCache in the tests, so the two passes vouch for each other.
 */
import { queryHeadsPerKvHead } from '../../app/model/model-spec';
import {
  cloneReferenceCache,
  emptyReferenceCache,
  type ReferenceKvCache,
  type ReferenceKvEntry,
} from './reference-cache';
import { dot, linear, rmsNorm, silu, softmax } from './reference-math';
import {
  loadReferenceWeights,
  type ReferenceLayerWeights,
  type WeightSource,
} from './reference-weights';
import { applyRope, ropeInvFreq } from './rope';

export interface LayerAttentionResult {
  /** Output after o_proj, one [hidden] row per input row. */
  outputs: Float64Array[];
  /** The layer's cache (per KV head) with the rows' K/V appended; the input is not modified. */
  cache: ReferenceKvEntry[][];
}

/**
 * Layer `layer`'s attention on `normed` rows (already through input_layernorm) at `positions`,
 * on top of `layerCache` (per KV head entries). Row i sees every cached entry and new rows <= i.
 */
export function referenceLayerAttention(
  source: WeightSource,
  layer: number,
  normed: readonly Float64Array[],
  positions: readonly number[],
  layerCache: readonly (readonly ReferenceKvEntry[])[],
): LayerAttentionResult {
  const w = loadReferenceWeights(source);
  const spec = w.spec;
  const lw = w.layers[layer];
  if (!lw) throw new Error(`reference: no layer ${layer}`);
  const { numHeads: H, numKvHeads: G, headDim: d, rmsNormEps: eps } = spec;
  const rep = queryHeadsPerKvHead(spec);
  const invFreq = ropeInvFreq(spec);
  const cut = (v: Float64Array, i: number) => v.slice(i * d, (i + 1) * d);
  const rotate = (v: Float64Array, norm: Float64Array | undefined, pos: number) =>
    applyRope(norm ? rmsNorm(v, norm, eps) : v, pos, invFreq);
  const cache = layerCache.map((entries) => [...entries]);
  const past = cache.map((e) => e.length);
  normed.forEach((a, i) => {
    const k = linear(lw.k, a, G * d, lw.kBias);
    const v = linear(lw.v, a, G * d, lw.vBias);
    for (let g = 0; g < G; g++) {
      cache[g]!.push({
        position: positions[i]!,
        key: rotate(cut(k, g), lw.kNorm, positions[i]!),
        value: cut(v, g),
      });
    }
  });
  const outputs = normed.map((a, i) => {
    const q = linear(lw.q, a, H * d, lw.qBias);
    const merged = new Float64Array(H * d);
    for (let h = 0; h < H; h++) {
      const qh = rotate(cut(q, h), lw.qNorm, positions[i]!);
      const g = Math.floor(h / rep);
      const seen = cache[g]!.slice(0, past[g]! + i + 1);
      const p = softmax(Float64Array.from(seen, (e) => dot(qh, e.key) / Math.sqrt(d)));
      seen.forEach((e, j) => {
        for (let c = 0; c < d; c++) merged[h * d + c] = merged[h * d + c]! + p[j]! * e.value[c]!;
      });
    }
    return linear(lw.o, merged, spec.hiddenSize);
  });
  return { outputs, cache };
}

/** down(silu(gate(a)) * up(a)). */
function mlp(lw: ReferenceLayerWeights, a: Float64Array, inter: number): Float64Array {
  const g = linear(lw.gate, a, inter);
  const u = linear(lw.up, a, inter);
  const m = Float64Array.from(g, (gi, i) => silu(gi) * u[i]!);
  return linear(lw.down, m, a.length);
}

export interface ReferenceTrace {
  logits: Float64Array;
  cache: ReferenceKvCache;
  /** [layer][row]: input_layernorm output (the attention block's input). */
  layerInputs: Float64Array[][];
  /** [layer][row]: attention output after o_proj. */
  attnOutputs: Float64Array[][];
}

/** A forward pass of `tokens` on `cache` (not modified) recording each layer's attention I/O. */
export function referenceTrace(
  source: WeightSource,
  tokens: readonly number[],
  options: { positions?: number[]; cache?: ReferenceKvCache } = {},
): ReferenceTrace {
  const w = loadReferenceWeights(source);
  const spec = w.spec;
  const h = spec.hiddenSize;
  const cache = cloneReferenceCache(options.cache ?? emptyReferenceCache(spec));
  const positions = options.positions ?? tokens.map((_, i) => cache.nextPosition + i);
  let xs = tokens.map((t) => w.embed.slice(t * h, (t + 1) * h));
  const layerInputs: Float64Array[][] = [];
  const attnOutputs: Float64Array[][] = [];
  w.layers.forEach((lw, l) => {
    const normed = xs.map((x) => rmsNorm(x, lw.inputNorm, spec.rmsNormEps));
    const attn = referenceLayerAttention(source, l, normed, positions, cache.layers[l]!);
    cache.layers[l] = attn.cache;
    layerInputs.push(normed);
    attnOutputs.push(attn.outputs);
    xs = xs.map((x, i) => {
      const r = Float64Array.from(x, (v, c) => v + attn.outputs[i]![c]!);
      const m = mlp(lw, rmsNorm(r, lw.postNorm, spec.rmsNormEps), spec.intermediateSize);
      return Float64Array.from(r, (v, c) => v + m[c]!);
    });
  });
  cache.nextPosition = Math.max(cache.nextPosition, ...positions.map((p) => p + 1));
  const last = rmsNorm(xs[xs.length - 1]!, w.finalNorm, spec.rmsNormEps);
  return { logits: linear(w.lmHead, last, spec.vocabSize), cache, layerInputs, attnOutputs };
}
