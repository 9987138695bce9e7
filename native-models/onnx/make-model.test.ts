import { describe, expect, it } from 'vitest';
import { makeModel } from './make-model';
import type { ModelFamily } from '../../app/model/model-spec';
import type { CheckpointDims } from '../checkpoint/random-spec';
import { testCheckpoint } from './test-support/test-checkpoint';
import { InlineWeightSink } from './weight-sink';

async function modelOf(family: ModelFamily, dims: Partial<CheckpointDims> = {}) {
  const t = testCheckpoint(family, dims);
  try {
    return { spec: t.ckpt.spec, model: await makeModel(t.ckpt, new InlineWeightSink()) };
  } finally {
    t.dispose();
  }
}

describe('makeModel', () => {
  it('stores a tied lm_head once: Gemm reads the embedding initializer', async () => {
    const { model } = await modelOf('qwen2', { tieWordEmbeddings: true });
    const names = model.graph.initializers.map((t) => t.name);
    expect(names).not.toContain('lm_head.weight');
    expect(names.filter((n) => n === 'model.embed_tokens.weight')).toHaveLength(1);
    const gemm = model.graph.nodes.find((n) => n.opType === 'Gemm');
    expect(gemm?.inputs[1]).toBe('model.embed_tokens.weight');
    expect(gemm?.outputs).toEqual(['logits']);
  });

  it('stores an untied lm_head in its HF [V, h] layout', async () => {
    const { spec, model } = await modelOf('llama', { tieWordEmbeddings: false });
    const head = model.graph.initializers.find((t) => t.name === 'lm_head.weight');
    expect(head?.dims).toEqual([spec.vocabSize, spec.hiddenSize]);
    const q = model.graph.initializers.find(
      (t) => t.name === 'model.layers.0.self_attn.q_proj.weight.T',
    );
    expect(q?.dims).toEqual([spec.hiddenSize, spec.numHeads * spec.headDim]);
  });

  it('names nodes by path, uniquely, and imports only the default domain', async () => {
    const { model } = await modelOf('qwen3');
    const names = model.graph.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('/model/layers.1/attn/q_proj/MatMul');
    expect(names).toContain('/model/layers.0/attn/k_norm/ReduceMean');
    expect(names.every((n) => n.startsWith('/'))).toBe(true);
    expect(model.opsetImports).toEqual([{ domain: '', version: 17 }]);
    expect(model.producerName).toBe('kv-lens');
  });

  it('uses qwen2 biases only when the spec has them', async () => {
    const { model: withBias } = await modelOf('qwen2');
    const { model: without } = await modelOf('mistral');
    const biasCount = (m: typeof withBias): number =>
      m.graph.initializers.filter((t) => t.name.endsWith('.bias')).length;
    expect(biasCount(withBias)).toBe(3 * 2);
    expect(biasCount(without)).toBe(0);
  });
});
