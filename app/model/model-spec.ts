/**
 * The normalised description of a decoder-only checkpoint, read from a Hugging Face config.json.
 *
 * Every family the importer supports maps onto this one shape; per-family differences are the
 * flags below (q/k/v biases, per-head q/k RMSNorm, tied embeddings, RoPE scaling).
 */
export type ModelFamily = 'llama' | 'mistral' | 'qwen2' | 'qwen3';

export const SUPPORTED_FAMILIES: readonly ModelFamily[] = ['llama', 'mistral', 'qwen2', 'qwen3'];

/** Llama 3 style RoPE frequency scaling ("rope_type": "llama3" in config.json). */
export interface Llama3RopeScaling {
  type: 'llama3';
  factor: number;
  lowFreqFactor: number;
  highFreqFactor: number;
  originalMaxPositionEmbeddings: number;
}

export interface ModelSpec {
  family: ModelFamily;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  /** Query heads per layer (H). */
  numHeads: number;
  /** Key/value heads per layer (G); query head h reads KV head floor(h / (H / G)). */
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: Llama3RopeScaling | null;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** qwen2: q_proj, k_proj and v_proj carry biases. */
  attentionBias: boolean;
  /** qwen3: RMSNorm over head_dim applied to q and k per head, before RoPE. */
  qkNorm: boolean;
  /** Activation of the gated MLP; all supported families use SiLU. */
  hiddenAct: 'silu';
}

/** Query heads that share one KV head (n_rep = H / G). */
export function queryHeadsPerKvHead(spec: ModelSpec): number {
  return spec.numHeads / spec.numKvHeads;
}

/** Bytes of K and V for one token in every layer at float32. */
export function kvBytesPerToken(spec: ModelSpec): number {
  return 2 * spec.numLayers * spec.numKvHeads * spec.headDim * 4;
}
