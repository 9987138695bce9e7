import { describe, expect, it } from 'vitest';
import { KvLensError } from '../../app/errors';
import { parseModelConfig } from './parse-config';

const base = {
  model_type: 'llama',
  vocab_size: 512,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
};

function expectError(config: unknown, code: string, ...parts: string[]): void {
  let caught: unknown;
  try {
    parseModelConfig(config, '/models/x/config.json');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(KvLensError);
  expect((caught as KvLensError).code).toBe(code);
  for (const p of ['/models/x/config.json', ...parts]) {
    expect((caught as KvLensError).message).toContain(p);
  }
}

describe('parseModelConfig', () => {
  it('applies the Hugging Face defaults', () => {
    const spec = parseModelConfig(base);
    expect(spec).toEqual({
      family: 'llama',
      vocabSize: 512,
      hiddenSize: 64,
      intermediateSize: 128,
      numLayers: 2,
      numHeads: 4,
      numKvHeads: 4,
      headDim: 16,
      rmsNormEps: 1e-6,
      ropeTheta: 10000,
      ropeScaling: null,
      maxPositionEmbeddings: 2048,
      tieWordEmbeddings: false,
      attentionBias: false,
      qkNorm: false,
      hiddenAct: 'silu',
    });
  });

  it('reads the family flags, explicit head_dim and tying', () => {
    const q2 = parseModelConfig({ ...base, model_type: 'qwen2', tie_word_embeddings: true });
    expect([q2.attentionBias, q2.qkNorm, q2.tieWordEmbeddings]).toEqual([true, false, true]);
    const q3 = parseModelConfig({
      ...base,
      model_type: 'qwen3',
      head_dim: 32,
      num_key_value_heads: 2,
    });
    expect([q3.attentionBias, q3.qkNorm, q3.headDim, q3.numKvHeads]).toEqual([false, true, 32, 2]);
    const m = parseModelConfig({
      ...base,
      model_type: 'mistral',
      head_dim: null,
      sliding_window: null,
    });
    expect([m.family, m.headDim, m.maxPositionEmbeddings]).toEqual(['mistral', 16, 131072]);
  });

  it('parses llama3 rope scaling under either key name', () => {
    const scaling = {
      factor: 8,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 8192,
    };
    const expected = {
      type: 'llama3',
      factor: 8,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 8192,
    };
    for (const key of ['rope_type', 'type']) {
      const spec = parseModelConfig({ ...base, rope_scaling: { [key]: 'llama3', ...scaling } });
      expect(spec.ropeScaling).toEqual(expected);
    }
    expect(parseModelConfig({ ...base, rope_scaling: { rope_type: 'default' } }).ropeScaling).toBe(
      null,
    );
    expectError(
      { ...base, rope_scaling: { rope_type: 'llama3', factor: 8 } },
      'invalid-checkpoint',
      'rope_scaling.low_freq_factor',
    );
  });

  it('rejects unsupported model types and lists the supported ones', () => {
    expectError(
      { ...base, model_type: 'gpt2' },
      'unsupported',
      'model_type',
      '"gpt2"',
      'llama, mistral, qwen2, qwen3',
    );
    expectError({ ...base, model_type: undefined }, 'unsupported', 'model_type');
  });

  it('rejects unsupported features by key', () => {
    expectError(
      { ...base, rope_scaling: { rope_type: 'yarn', factor: 4 } },
      'unsupported',
      'rope_scaling',
      'yarn',
      'llama3',
    );
    expectError({ ...base, attention_bias: true }, 'unsupported', 'attention_bias');
    expectError({ ...base, mlp_bias: true }, 'unsupported', 'mlp_bias');
    expectError({ ...base, hidden_act: 'gelu' }, 'unsupported', 'hidden_act', 'silu');
    expectError(
      { ...base, model_type: 'mistral', sliding_window: 4096, max_position_embeddings: 32768 },
      'unsupported',
      'sliding_window',
    );
    expectError(
      { ...base, model_type: 'qwen2', use_sliding_window: true },
      'unsupported',
      'use_sliding_window',
    );
  });

  it('validates numbers and names the key', () => {
    expectError(
      { ...base, hidden_size: undefined },
      'invalid-checkpoint',
      '"hidden_size"',
      'missing',
    );
    expectError({ ...base, num_hidden_layers: 0 }, 'invalid-checkpoint', '"num_hidden_layers"');
    expectError({ ...base, vocab_size: 10.5 }, 'invalid-checkpoint', '"vocab_size"');
    expectError({ ...base, intermediate_size: '128' }, 'invalid-checkpoint', '"intermediate_size"');
    expectError(
      { ...base, num_key_value_heads: 3 },
      'invalid-checkpoint',
      '"num_key_value_heads"',
      'divide',
    );
    expectError(
      { ...base, num_attention_heads: 6 },
      'invalid-checkpoint',
      '"hidden_size"',
      'divisible',
    );
    expectError({ ...base, head_dim: 15 }, 'invalid-checkpoint', '"head_dim"', 'even');
    expectError({ ...base, rms_norm_eps: -1 }, 'invalid-checkpoint', '"rms_norm_eps"');
    expectError(
      { ...base, tie_word_embeddings: 'yes' },
      'invalid-checkpoint',
      '"tie_word_embeddings"',
    );
    expectError([1, 2], 'invalid-checkpoint');
  });
});
