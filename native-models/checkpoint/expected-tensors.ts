/**
 * The tensors a checkpoint of a given spec must hold, as Hugging Face names them. The table is
 * declarative so the validator (open-checkpoint.ts) and the random maker (make-checkpoint.ts)
 * read the same source of truth; family differences are the `when` conditions.
 */
import type { ModelSpec } from '../../app/model/model-spec';

/** How a random checkpoint initialises the tensor (the validator ignores this). */
export type TensorRole = 'embedding' | 'linear' | 'bias' | 'norm';

interface TensorRule {
  name: string;
  shape: (s: ModelSpec) => number[];
  role: TensorRole;
  when?: (s: ModelSpec) => boolean;
}

export interface ExpectedTensor {
  name: string;
  shape: number[];
  role: TensorRole;
}

const q = (s: ModelSpec): number => s.numHeads * s.headDim;
const kv = (s: ModelSpec): number => s.numKvHeads * s.headDim;
const bias = (s: ModelSpec): boolean => s.attentionBias;
const qkNorm = (s: ModelSpec): boolean => s.qkNorm;

/** Per layer, relative to `model.layers.{i}.`. */
const LAYER_RULES: readonly TensorRule[] = [
  { name: 'input_layernorm.weight', shape: (s) => [s.hiddenSize], role: 'norm' },
  { name: 'self_attn.q_proj.weight', shape: (s) => [q(s), s.hiddenSize], role: 'linear' },
  { name: 'self_attn.q_proj.bias', shape: (s) => [q(s)], role: 'bias', when: bias },
  { name: 'self_attn.k_proj.weight', shape: (s) => [kv(s), s.hiddenSize], role: 'linear' },
  { name: 'self_attn.k_proj.bias', shape: (s) => [kv(s)], role: 'bias', when: bias },
  { name: 'self_attn.v_proj.weight', shape: (s) => [kv(s), s.hiddenSize], role: 'linear' },
  { name: 'self_attn.v_proj.bias', shape: (s) => [kv(s)], role: 'bias', when: bias },
  { name: 'self_attn.q_norm.weight', shape: (s) => [s.headDim], role: 'norm', when: qkNorm },
  { name: 'self_attn.k_norm.weight', shape: (s) => [s.headDim], role: 'norm', when: qkNorm },
  { name: 'self_attn.o_proj.weight', shape: (s) => [s.hiddenSize, q(s)], role: 'linear' },
  { name: 'post_attention_layernorm.weight', shape: (s) => [s.hiddenSize], role: 'norm' },
  {
    name: 'mlp.gate_proj.weight',
    shape: (s) => [s.intermediateSize, s.hiddenSize],
    role: 'linear',
  },
  { name: 'mlp.up_proj.weight', shape: (s) => [s.intermediateSize, s.hiddenSize], role: 'linear' },
  {
    name: 'mlp.down_proj.weight',
    shape: (s) => [s.hiddenSize, s.intermediateSize],
    role: 'linear',
  },
];

const HEAD_RULES: readonly TensorRule[] = [
  { name: 'model.norm.weight', shape: (s) => [s.hiddenSize], role: 'norm' },
  {
    name: 'lm_head.weight',
    shape: (s) => [s.vocabSize, s.hiddenSize],
    role: 'linear',
    when: (s) => !s.tieWordEmbeddings,
  },
];

/** Name of the output projection; absent from tied checkpoints (the embedding is reused). */
export const LM_HEAD = 'lm_head.weight';
export const EMBED_TOKENS = 'model.embed_tokens.weight';

/** Buffers some exports save that carry no weights (recomputed from the config). */
export const IGNORED_TENSOR = /(^|\.)rotary_emb\.inv_freq$/;

/** Every tensor `spec` requires, in the order Hugging Face writes them. */
export function expectedTensors(spec: ModelSpec): ExpectedTensor[] {
  const out: ExpectedTensor[] = [
    { name: EMBED_TOKENS, shape: [spec.vocabSize, spec.hiddenSize], role: 'embedding' },
  ];
  const add = (prefix: string, rules: readonly TensorRule[]): void => {
    for (const r of rules) {
      if (r.when && !r.when(spec)) continue;
      out.push({ name: prefix + r.name, shape: r.shape(spec), role: r.role });
    }
  };
  for (let i = 0; i < spec.numLayers; i++) add(`model.layers.${i}.`, LAYER_RULES);
  add('', HEAD_RULES);
  return out;
}
