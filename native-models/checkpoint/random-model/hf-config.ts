/**
 * ModelSpec -> the config.json a Hugging Face export of that family would carry, with each
 * family's own keys (qwen3's explicit head_dim, qwen2's sliding-window switches, Llama 3's
 * rope_scaling), so random checkpoints exercise the same parsing paths as real ones.
 */
import type { ModelFamily, ModelSpec } from '../../../app/model/model-spec';
import type { WeightDtype } from '../checkpoint';

const ARCHITECTURE: Record<ModelFamily, string> = {
  llama: 'LlamaForCausalLM',
  mistral: 'MistralForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
};

const TORCH_DTYPE: Record<WeightDtype, string> = {
  bf16: 'bfloat16',
  fp16: 'float16',
  fp32: 'float32',
};

export interface SpecialIds {
  bos: number;
  eos: number[];
  pad: number;
}

/** The config.json object for `spec`. */
export function specToHfConfig(
  spec: ModelSpec,
  dtype: WeightDtype,
  ids: SpecialIds,
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    architectures: [ARCHITECTURE[spec.family]],
    model_type: spec.family,
    vocab_size: spec.vocabSize,
    hidden_size: spec.hiddenSize,
    intermediate_size: spec.intermediateSize,
    num_hidden_layers: spec.numLayers,
    num_attention_heads: spec.numHeads,
    num_key_value_heads: spec.numKvHeads,
    hidden_act: spec.hiddenAct,
    max_position_embeddings: spec.maxPositionEmbeddings,
    rms_norm_eps: spec.rmsNormEps,
    rope_theta: spec.ropeTheta,
    rope_scaling: spec.ropeScaling && {
      rope_type: 'llama3',
      factor: spec.ropeScaling.factor,
      low_freq_factor: spec.ropeScaling.lowFreqFactor,
      high_freq_factor: spec.ropeScaling.highFreqFactor,
      original_max_position_embeddings: spec.ropeScaling.originalMaxPositionEmbeddings,
    },
    tie_word_embeddings: spec.tieWordEmbeddings,
    bos_token_id: ids.bos,
    eos_token_id: ids.eos.length === 1 ? ids.eos[0] : ids.eos,
    torch_dtype: TORCH_DTYPE[dtype],
    use_cache: true,
    initializer_range: 0.02,
    attention_dropout: 0,
  };
  switch (spec.family) {
    case 'llama':
      Object.assign(config, {
        attention_bias: false,
        mlp_bias: false,
        pretraining_tp: 1,
        head_dim: spec.headDim,
      });
      break;
    case 'mistral':
      // Mistral v0.2+ exports: no sliding window.
      Object.assign(config, { sliding_window: null });
      if (spec.headDim * spec.numHeads !== spec.hiddenSize) config.head_dim = spec.headDim;
      break;
    case 'qwen2':
      // q/k/v biases are implied by the family; Qwen2 configs carry no attention_bias key.
      Object.assign(config, {
        use_sliding_window: false,
        sliding_window: spec.maxPositionEmbeddings,
        max_window_layers: spec.numLayers,
      });
      break;
    case 'qwen3':
      Object.assign(config, {
        head_dim: spec.headDim,
        attention_bias: false,
        use_sliding_window: false,
        sliding_window: null,
        max_window_layers: spec.numLayers,
      });
      break;
  }
  return config;
}
