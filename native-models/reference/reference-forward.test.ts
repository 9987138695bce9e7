import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../app/model/model-spec';
import { referenceLogits } from './reference-forward';
import { memoryWeights, tinySpec, type MemoryWeights } from './memory-weights';

const FAMILIES: ModelSpec['family'][] = ['llama', 'mistral', 'qwen2', 'qwen3'];
const PROMPT = [3, 17, 5, 29, 8, 1, 12];

/** Largest |a-b| relative to the largest |a|. */
function relDiff(a: Float64Array, b: Float64Array): number {
  let max = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / max;
}

// Deliberately re-derived here rather than imported, so these checks do not lean on the code
// under test: y = W x, RMSNorm, SiLU MLP.
const mv = (w: Float32Array, x: number[], rows: number) =>
  Array.from({ length: rows }, (_, r) => x.reduce((s, xi, c) => s + w[r * x.length + c]! * xi, 0));
const norm = (x: number[], w: Float32Array, eps: number) => {
  const r = 1 / Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length + eps);
  return x.map((v, i) => v * r * w[i]!);
};
const add = (a: number[], b: number[]) => a.map((v, i) => v + b[i]!);

function handMlp(m: MemoryWeights, l: number, x: number[]): number[] {
  const t = (n: string) => m.tensors.get(`model.layers.${l}.${n}`)!;
  const a = norm(x, t('post_attention_layernorm.weight'), m.spec.rmsNormEps);
  const g = mv(t('mlp.gate_proj.weight'), a, m.spec.intermediateSize);
  const u = mv(t('mlp.up_proj.weight'), a, m.spec.intermediateSize);
  const hmid = g.map((gi, i) => (gi / (1 + Math.exp(-gi))) * u[i]!);
  return mv(t('mlp.down_proj.weight'), hmid, m.spec.hiddenSize);
}

function handLogits(m: MemoryWeights, x: number[]): number[] {
  const f = norm(x, m.tensors.get('model.norm.weight')!, m.spec.rmsNormEps);
  const head = m.tensors.get(
    m.spec.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight',
  )!;
  return mv(head, f, m.spec.vocabSize);
}

const embedRow = (m: MemoryWeights, t: number) =>
  Array.from(m.tensors.get('model.embed_tokens.weight')!.subarray(t * 16, (t + 1) * 16));

describe('reference forward: hand-checkable cases', () => {
  it('with o_proj zeroed, a 1-layer model is embed -> MLP residual -> norm -> lm_head', () => {
    for (const family of FAMILIES) {
      const m = memoryWeights(tinySpec(family, { numLayers: 1 }), 11);
      m.tensors.get('model.layers.0.self_attn.o_proj.weight')!.fill(0);
      const x = embedRow(m, PROMPT.at(-1)!);
      const want = handLogits(m, add(x, handMlp(m, 0, x)));
      expect(relDiff(Float64Array.from(want), referenceLogits(m, PROMPT))).toBeLessThan(1e-12);
    }
  });

  it('a single token attends only to itself: attention output is o_proj(v (+ bias))', () => {
    for (const family of FAMILIES) {
      const m = memoryWeights(tinySpec(family, { numLayers: 1 }), 12);
      const { headDim: d, numHeads: H, numKvHeads: G, hiddenSize: h } = m.spec;
      const t = (n: string) => m.tensors.get(`model.layers.0.self_attn.${n}`)!;
      const x = embedRow(m, 9);
      const a = norm(x, m.tensors.get('model.layers.0.input_layernorm.weight')!, m.spec.rmsNormEps);
      let v = mv(t('v_proj.weight'), a, G * d);
      if (m.spec.attentionBias) v = add(v, Array.from(t('v_proj.bias')));
      // Query head j reads KV head floor(j / (H / G)).
      const concat = Array.from({ length: H * d }, (_, i) => {
        const j = Math.floor(i / d);
        return v[Math.floor(j / (H / G)) * d + (i % d)]!;
      });
      const r = add(x, mv(t('o_proj.weight'), concat, h));
      const want = handLogits(m, add(r, handMlp(m, 0, r)));
      expect(relDiff(Float64Array.from(want), referenceLogits(m, [9], [123]))).toBeLessThan(1e-12);
    }
  });

  it('GQA equals full multi-head attention with each KV head repeated', () => {
    const gqa = memoryWeights(tinySpec('llama'), 13);
    const full = memoryWeights(tinySpec('llama', { numKvHeads: 4 }), 99);
    for (const [name, t] of gqa.tensors) {
      if (!/[kv]_proj\.weight$/.test(name)) full.tensors.set(name, t);
    }
    const d = gqa.spec.headDim;
    const h = gqa.spec.hiddenSize;
    for (let l = 0; l < 2; l++) {
      for (const p of ['k_proj', 'v_proj']) {
        const name = `model.layers.${l}.self_attn.${p}.weight`;
        const src = gqa.tensors.get(name)!;
        const rows = new Float32Array(4 * d * h);
        // Head j of the full model copies KV head floor(j / 2) of the GQA model.
        for (let j = 0; j < 4; j++) {
          rows.set(
            src.subarray(Math.floor(j / 2) * d * h, (Math.floor(j / 2) + 1) * d * h),
            j * d * h,
          );
        }
        full.tensors.set(name, rows);
      }
    }
    expect(relDiff(referenceLogits(full, PROMPT), referenceLogits(gqa, PROMPT))).toBeLessThan(
      1e-12,
    );
  });

  it('tied embeddings equal an untied model whose lm_head is the embedding', () => {
    const tied = memoryWeights(tinySpec('llama', { tieWordEmbeddings: true }), 14);
    const untied = memoryWeights(tinySpec('llama'), 14);
    untied.tensors.set('lm_head.weight', tied.tensors.get('model.embed_tokens.weight')!);
    expect(relDiff(referenceLogits(untied, PROMPT), referenceLogits(tied, PROMPT))).toBe(0);
    untied.tensors.set(
      'lm_head.weight',
      memoryWeights(tinySpec('llama'), 15).tensors.get('lm_head.weight')!,
    );
    const other = memoryWeights(untied.spec, 14);
    other.tensors.set('lm_head.weight', untied.tensors.get('lm_head.weight')!);
    expect(relDiff(referenceLogits(other, PROMPT), referenceLogits(tied, PROMPT))).toBeGreaterThan(
      0.01,
    );
  });

  it('qwen2 with zero biases equals the same weights without biases; nonzero biases matter', () => {
    const q2 = memoryWeights(tinySpec('qwen2'), 16);
    const withBias = referenceLogits(q2, PROMPT);
    const zeroed = memoryWeights(q2.spec, 1);
    const plain = memoryWeights(tinySpec('qwen2', { attentionBias: false }), 1);
    for (const [n, t] of q2.tensors) {
      zeroed.tensors.set(n, n.endsWith('.bias') ? new Float32Array(t.length) : t);
      if (!n.endsWith('.bias')) plain.tensors.set(n, t);
    }
    expect(relDiff(referenceLogits(plain, PROMPT), referenceLogits(zeroed, PROMPT))).toBe(0);
    expect(relDiff(withBias, referenceLogits(zeroed, PROMPT))).toBeGreaterThan(1e-3);
  });

  it('qwen3 q_norm/k_norm make logits invariant to scaling q_proj and k_proj (llama is not)', () => {
    for (const family of ['qwen3', 'llama'] as const) {
      // eps ~0 and a power-of-two scale keep the invariance exact up to float64 rounding.
      const m = memoryWeights(tinySpec(family, { rmsNormEps: 1e-30 }), 17);
      const before = referenceLogits(m, PROMPT);
      const scaled = memoryWeights(m.spec, 1);
      for (const [n, t] of m.tensors) {
        scaled.tensors.set(n, /[qk]_proj\.weight$/.test(n) ? t.map((v) => v * 4) : t);
      }
      const diff = relDiff(before, referenceLogits(scaled, PROMPT));
      if (family === 'qwen3') expect(diff).toBeLessThan(1e-9);
      else expect(diff).toBeGreaterThan(1e-3);
    }
  });

  it('rejects tokens outside the vocabulary and mismatched positions', () => {
    const m = memoryWeights(tinySpec('llama'), 18);
    expect(() => referenceLogits(m, [32])).toThrow(/outside vocab/);
    expect(() => referenceLogits(m, [1, 2], [0])).toThrow(/positions/);
  });
});
