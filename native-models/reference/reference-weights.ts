/**
 * Loads the tensors the reference forward pass needs, widened to float64, by Hugging Face name.
 *
 * It asks only for `spec` and `readFloat32`, so any Checkpoint (or a small in-memory stand-in in
 * a unit test) can feed it; it reads nothing from the ONNX side.
 */
import type { ModelSpec } from '../../app/model/model-spec';

/** What the reference needs from a checkpoint: its spec and float32 tensors by HF name. */
export interface WeightSource {
  spec: ModelSpec;
  readFloat32(name: string): Float32Array;
}

export interface ReferenceLayerWeights {
  inputNorm: Float64Array;
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  o: Float64Array;
  qBias: Float64Array | undefined;
  kBias: Float64Array | undefined;
  vBias: Float64Array | undefined;
  qNorm: Float64Array | undefined;
  kNorm: Float64Array | undefined;
  postNorm: Float64Array;
  gate: Float64Array;
  up: Float64Array;
  down: Float64Array;
}

export interface ReferenceWeights {
  spec: ModelSpec;
  embed: Float64Array;
  layers: ReferenceLayerWeights[];
  finalNorm: Float64Array;
  /** lm_head.weight, or the embedding matrix when tie_word_embeddings is set. */
  lmHead: Float64Array;
}

// Tests call the reference many times on one checkpoint; widen each tensor once.
const loaded = new WeakMap<WeightSource, ReferenceWeights>();

/** Reads (once per source) every tensor of the model as float64. */
export function loadReferenceWeights(source: WeightSource): ReferenceWeights {
  const hit = loaded.get(source);
  if (hit) return hit;
  const spec = source.spec;
  const read = (name: string, size: number): Float64Array => {
    const t = source.readFloat32(name);
    if (t.length !== size) {
      throw new Error(`reference: tensor ${name} has ${t.length} values, expected ${size}`);
    }
    return Float64Array.from(t);
  };
  const { hiddenSize: h, headDim: d, numHeads: H, numKvHeads: G } = spec;
  const I = spec.intermediateSize;
  const layers: ReferenceLayerWeights[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `model.layers.${l}`;
    const a = `${p}.self_attn`;
    layers.push({
      inputNorm: read(`${p}.input_layernorm.weight`, h),
      q: read(`${a}.q_proj.weight`, H * d * h),
      k: read(`${a}.k_proj.weight`, G * d * h),
      v: read(`${a}.v_proj.weight`, G * d * h),
      o: read(`${a}.o_proj.weight`, h * H * d),
      qBias: spec.attentionBias ? read(`${a}.q_proj.bias`, H * d) : undefined,
      kBias: spec.attentionBias ? read(`${a}.k_proj.bias`, G * d) : undefined,
      vBias: spec.attentionBias ? read(`${a}.v_proj.bias`, G * d) : undefined,
      qNorm: spec.qkNorm ? read(`${a}.q_norm.weight`, d) : undefined,
      kNorm: spec.qkNorm ? read(`${a}.k_norm.weight`, d) : undefined,
      postNorm: read(`${p}.post_attention_layernorm.weight`, h),
      gate: read(`${p}.mlp.gate_proj.weight`, I * h),
      up: read(`${p}.mlp.up_proj.weight`, I * h),
      down: read(`${p}.mlp.down_proj.weight`, h * I),
    });
  }
  const embed = read('model.embed_tokens.weight', spec.vocabSize * h);
  const weights: ReferenceWeights = {
    spec,
    embed,
    layers,
    finalNorm: read('model.norm.weight', h),
    lmHead: spec.tieWordEmbeddings ? embed : read('lm_head.weight', spec.vocabSize * h),
  };
  loaded.set(source, weights);
  return weights;
}
