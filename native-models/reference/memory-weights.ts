/**
 * Small in-memory weight sources for unit tests of the reference pass: every tensor of a spec
 * filled from a seeded generator, editable by name (e.g. zero o_proj to switch attention off).
 */
import type { ModelSpec } from '../../app/model/model-spec';
import type { WeightSource } from './reference-weights';

export interface MemoryWeights extends WeightSource {
  tensors: Map<string, Float32Array>;
}

/** A deterministic float stream in [-1, 1) (Marsaglia's xorshift32; seed 0 is remapped). */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return (x / 4294967296) * 2 - 1;
  };
}

/** HF tensor names and shapes of a spec, in the layout the brief fixes. */
export function tensorShapes(spec: ModelSpec): Map<string, number[]> {
  const { hiddenSize: h, headDim: d, numHeads: H, numKvHeads: G } = spec;
  const I = spec.intermediateSize;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [spec.vocabSize, h]]]);
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `model.layers.${l}`;
    shapes.set(`${p}.input_layernorm.weight`, [h]);
    shapes.set(`${p}.self_attn.q_proj.weight`, [H * d, h]);
    shapes.set(`${p}.self_attn.k_proj.weight`, [G * d, h]);
    shapes.set(`${p}.self_attn.v_proj.weight`, [G * d, h]);
    shapes.set(`${p}.self_attn.o_proj.weight`, [h, H * d]);
    if (spec.attentionBias) {
      shapes.set(`${p}.self_attn.q_proj.bias`, [H * d]);
      shapes.set(`${p}.self_attn.k_proj.bias`, [G * d]);
      shapes.set(`${p}.self_attn.v_proj.bias`, [G * d]);
    }
    if (spec.qkNorm) {
      shapes.set(`${p}.self_attn.q_norm.weight`, [d]);
      shapes.set(`${p}.self_attn.k_norm.weight`, [d]);
    }
    shapes.set(`${p}.post_attention_layernorm.weight`, [h]);
    shapes.set(`${p}.mlp.gate_proj.weight`, [I, h]);
    shapes.set(`${p}.mlp.up_proj.weight`, [I, h]);
    shapes.set(`${p}.mlp.down_proj.weight`, [h, I]);
  }
  shapes.set('model.norm.weight', [h]);
  if (!spec.tieWordEmbeddings) shapes.set('lm_head.weight', [spec.vocabSize, h]);
  return shapes;
}

/** Random weights for a spec; norm weights near 1 so activations keep a sane scale. */
export function memoryWeights(spec: ModelSpec, seed = 1): MemoryWeights {
  const rand = seededRandom(seed);
  const tensors = new Map<string, Float32Array>();
  for (const [name, shape] of tensorShapes(spec)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const isNorm = name.includes('norm');
    tensors.set(
      name,
      Float32Array.from({ length: n }, () => (isNorm ? 1 + 0.2 * rand() : 0.5 * rand())),
    );
  }
  return {
    spec,
    tensors,
    readFloat32(name) {
      const t = tensors.get(name);
      if (!t) throw new Error(`no tensor ${name}`);
      return t;
    },
  };
}

/** A small spec of a family with overrides; defaults give GQA 4/2 heads and 2 layers. */
export function tinySpec(family: ModelSpec['family'], over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    family,
    vocabSize: 32,
    hiddenSize: 16,
    intermediateSize: 24,
    numLayers: 2,
    numHeads: 4,
    numKvHeads: 2,
    headDim: family === 'qwen3' ? 8 : 4,
    rmsNormEps: 1e-6,
    ropeTheta: 10000,
    ropeScaling: null,
    maxPositionEmbeddings: 512,
    tieWordEmbeddings: family === 'qwen2',
    attentionBias: family === 'qwen2',
    qkNorm: family === 'qwen3',
    hiddenAct: 'silu',
    ...over,
  };
}
