/**
 * The ModelSpec of a random checkpoint: tiny per-family defaults (different GQA ratios per family
 * so every ratio path gets exercised), overridable dimensions, and a preset with the real
 * dimensions of Qwen2.5-0.5B for benchmarks.
 */
import { KvLensError } from '../../app/errors';
import type { ModelFamily, ModelSpec } from '../../app/model/model-spec';

export interface CheckpointDims {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  /** Defaults to hiddenSize / numHeads (qwen3: 32, to exercise an explicit head_dim). */
  headDim: number;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
}

const TINY: Omit<CheckpointDims, 'headDim' | 'numKvHeads' | 'tieWordEmbeddings'> = {
  vocabSize: 512,
  hiddenSize: 64,
  intermediateSize: 128,
  numLayers: 2,
  numHeads: 4,
  maxPositionEmbeddings: 4096,
};

/** Per family: KV heads (GQA 2:1, MQA, MHA, GQA 2:1) and tying like the real models. */
const FAMILY_DEFAULTS: Record<ModelFamily, { numKvHeads: number; tie: boolean }> = {
  llama: { numKvHeads: 2, tie: false },
  mistral: { numKvHeads: 1, tie: false },
  qwen2: { numKvHeads: 4, tie: true },
  qwen3: { numKvHeads: 2, tie: true },
};

/** Qwen2.5-0.5B's shape (random weights): the engine benchmark's large model. */
export const QWEN2_5_0_5B_DIMS: Partial<CheckpointDims> = {
  vocabSize: 151936,
  hiddenSize: 896,
  intermediateSize: 4864,
  numLayers: 24,
  numHeads: 14,
  numKvHeads: 2,
  maxPositionEmbeddings: 32768,
  tieWordEmbeddings: true,
};

/** The spec a random checkpoint of `family` with `dims` overrides will have. */
export function randomSpec(family: ModelFamily, dims: Partial<CheckpointDims> = {}): ModelSpec {
  const d = { ...TINY, ...dims };
  const fam = FAMILY_DEFAULTS[family];
  const numKvHeads = dims.numKvHeads ?? Math.min(fam.numKvHeads, d.numHeads);
  const headDim = dims.headDim ?? (family === 'qwen3' ? 32 : d.hiddenSize / d.numHeads);
  if (!Number.isInteger(headDim) || headDim % 2 !== 0 || d.numHeads % numKvHeads !== 0) {
    throw new KvLensError(
      'invalid-argument',
      `Invalid dims: head_dim ${headDim} must be an even integer and ${numKvHeads} KV heads ` +
        `must divide ${d.numHeads} heads.`,
    );
  }
  if (family === 'qwen2' && headDim * d.numHeads !== d.hiddenSize) {
    // Qwen2 configs have no head_dim key: it is always hidden_size / num_attention_heads.
    throw new KvLensError('invalid-argument', 'qwen2 needs headDim * numHeads == hiddenSize.');
  }
  return {
    family,
    vocabSize: d.vocabSize,
    hiddenSize: d.hiddenSize,
    intermediateSize: d.intermediateSize,
    numLayers: d.numLayers,
    numHeads: d.numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: 1e-6,
    ropeTheta: family === 'llama' ? 500000 : family === 'mistral' ? 1000000 : 10000,
    // Short original context so the llama3 rescaling changes frequencies at test lengths.
    ropeScaling:
      family === 'llama'
        ? {
            type: 'llama3',
            factor: 8,
            lowFreqFactor: 1,
            highFreqFactor: 4,
            originalMaxPositionEmbeddings: 64,
          }
        : null,
    maxPositionEmbeddings: d.maxPositionEmbeddings,
    tieWordEmbeddings: dims.tieWordEmbeddings ?? fam.tie,
    attentionBias: family === 'qwen2',
    qkNorm: family === 'qwen3',
    hiddenAct: 'silu',
  };
}
