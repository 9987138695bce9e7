/**
 * config.json -> ModelSpec for the supported Llama-family checkpoints.
 *
 * Defaults follow the Hugging Face config classes of each family (LlamaConfig, MistralConfig,
 * Qwen2Config, Qwen3Config). Anything that would change the model's math in a way the engine
 * does not implement (other RoPE scalings, sliding windows, o_proj/MLP biases) is rejected
 * rather than silently ignored.
 */
import { KvLensError } from '../../app/errors';
import {
  SUPPORTED_FAMILIES,
  type Llama3RopeScaling,
  type ModelFamily,
  type ModelSpec,
} from '../../app/model/model-spec';

type Json = Record<string, unknown>;

/** Family defaults that differ between the HF config classes. */
const MAX_POSITIONS_DEFAULT: Record<ModelFamily, number> = {
  llama: 2048,
  mistral: 131072,
  qwen2: 32768,
  qwen3: 32768,
};

/** Parses a config.json object; `file` names the file in error messages. */
export function parseModelConfig(json: unknown, file = 'config.json'): ModelSpec {
  const fail = (
    key: string,
    msg: string,
    code: 'invalid-checkpoint' | 'unsupported' = 'invalid-checkpoint',
  ) => new KvLensError(code, `${file}: "${key}" ${msg}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new KvLensError('invalid-checkpoint', `${file} is not a JSON object.`);
  }
  const c = json as Json;
  const family = c.model_type;
  if (typeof family !== 'string' || !(SUPPORTED_FAMILIES as readonly string[]).includes(family)) {
    throw fail(
      'model_type',
      `is ${JSON.stringify(family ?? null)}; supported model types: ${SUPPORTED_FAMILIES.join(', ')}.`,
      'unsupported',
    );
  }
  const fam = family as ModelFamily;
  const int = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback;
    if (v === undefined) throw fail(key, 'is missing; it must be a positive integer.');
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw fail(key, `must be a positive integer, got ${JSON.stringify(v)}.`);
    }
    return v;
  };
  const positive = (key: string, fallback: number): number => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw fail(key, `must be a positive number, got ${JSON.stringify(v)}.`);
    }
    return v;
  };

  const hiddenSize = int('hidden_size');
  const numHeads = int('num_attention_heads');
  const numKvHeads = int('num_key_value_heads', numHeads);
  if (numHeads % numKvHeads !== 0) {
    throw fail(
      'num_key_value_heads',
      `(${numKvHeads}) must divide num_attention_heads (${numHeads}).`,
    );
  }
  if (c.head_dim == null && hiddenSize % numHeads !== 0) {
    throw fail(
      'hidden_size',
      `(${hiddenSize}) must be divisible by num_attention_heads (${numHeads}) when head_dim is not given.`,
    );
  }
  const headDim = int('head_dim', hiddenSize / numHeads);
  if (headDim % 2 !== 0)
    throw fail('head_dim', `must be even for rotary embeddings, got ${headDim}.`);

  const act = c.hidden_act ?? 'silu';
  if (act !== 'silu') {
    throw fail('hidden_act', `is ${JSON.stringify(act)}; only "silu" is supported.`, 'unsupported');
  }
  // HF Qwen2 always has q/k/v biases and no attention_bias key; the others have o_proj bias too.
  if (fam !== 'qwen2' && c.attention_bias === true) {
    throw fail(
      'attention_bias',
      'is true (biases on q/k/v/o projections); this is not supported.',
      'unsupported',
    );
  }
  if (c.mlp_bias === true)
    throw fail('mlp_bias', 'is true; MLP biases are not supported.', 'unsupported');
  checkSlidingWindow(c, fam, fail);
  const tie = c.tie_word_embeddings ?? false;
  if (typeof tie !== 'boolean') throw fail('tie_word_embeddings', 'must be true or false.');

  return {
    family: fam,
    vocabSize: int('vocab_size'),
    hiddenSize,
    intermediateSize: int('intermediate_size'),
    numLayers: int('num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: positive('rms_norm_eps', 1e-6),
    ropeTheta: positive('rope_theta', 10000),
    ropeScaling: parseRopeScaling(c.rope_scaling, fail),
    maxPositionEmbeddings: int('max_position_embeddings', MAX_POSITIONS_DEFAULT[fam]),
    tieWordEmbeddings: tie,
    attentionBias: fam === 'qwen2',
    qkNorm: fam === 'qwen3',
    hiddenAct: 'silu',
  };
}

type Fail = (key: string, msg: string, code?: 'invalid-checkpoint' | 'unsupported') => KvLensError;

function parseRopeScaling(raw: unknown, fail: Fail): Llama3RopeScaling | null {
  if (raw == null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw fail('rope_scaling', 'must be an object or null.');
  const r = raw as Json;
  const type = r.rope_type ?? r.type;
  // "default" is how newer configs spell "no scaling".
  if (type === 'default') return null;
  if (type !== 'llama3') {
    throw fail(
      'rope_scaling',
      `has type ${JSON.stringify(type ?? null)}; supported: "llama3" (or null for none).`,
      'unsupported',
    );
  }
  const num = (key: string): number => {
    const v = r[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw fail(
        `rope_scaling.${key}`,
        `must be a positive number, got ${JSON.stringify(v ?? null)}.`,
      );
    }
    return v;
  };
  const scaling: Llama3RopeScaling = {
    type: 'llama3',
    factor: num('factor'),
    lowFreqFactor: num('low_freq_factor'),
    highFreqFactor: num('high_freq_factor'),
    originalMaxPositionEmbeddings: num('original_max_position_embeddings'),
  };
  if (scaling.highFreqFactor <= scaling.lowFreqFactor) {
    throw fail('rope_scaling.high_freq_factor', 'must be larger than low_freq_factor.');
  }
  return scaling;
}

/** The engine attends over the full context, so a window shorter than the context is rejected. */
function checkSlidingWindow(c: Json, fam: ModelFamily, fail: Fail): void {
  if (fam === 'mistral') {
    const w = c.sliding_window;
    const maxPos = c.max_position_embeddings ?? MAX_POSITIONS_DEFAULT.mistral;
    if (w != null && typeof w === 'number' && typeof maxPos === 'number' && w < maxPos) {
      throw fail(
        'sliding_window',
        `is ${w} (shorter than max_position_embeddings ${maxPos}); sliding-window attention is ` +
          'not supported, only null.',
        'unsupported',
      );
    }
  } else if (c.use_sliding_window === true) {
    throw fail(
      'use_sliding_window',
      'is true; sliding-window attention is not supported.',
      'unsupported',
    );
  }
}
