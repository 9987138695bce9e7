import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUPPORTED_FAMILIES } from '../../app/model/model-spec';
import { WEIGHT_DTYPES } from './checkpoint';
import { expectedTensors } from './expected-tensors';
import { makeCheckpoint } from './make-checkpoint';
import { openCheckpoint } from './open-checkpoint';
import { QWEN2_5_0_5B_DIMS, randomSpec } from './random-spec';
import {
  bfloat16BitsToFloat,
  floatToBfloat16Bits,
  floatToHalfBits,
  halfBitsToFloat,
} from './safetensors/float-convert';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-mk-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const readJson = (p: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;

describe('makeCheckpoint + openCheckpoint', () => {
  for (const family of SUPPORTED_FAMILIES) {
    for (const dtype of WEIGHT_DTYPES) {
      for (const shards of [1, 3]) {
        it(`${family} ${dtype} in ${shards} file(s) opens with the shapes of its spec`, () => {
          const dir = path.join(tmp, `${family}-${dtype}-${shards}`);
          const made = makeCheckpoint({ family, outDir: dir, seed: 7, dtype, shards });
          const ck = openCheckpoint(dir);
          try {
            expect(ck.spec).toEqual(made.spec);
            expect(ck.spec).toEqual(randomSpec(family));
            const expected = expectedTensors(ck.spec);
            expect(ck.tensorNames()).toEqual(expected.map((t) => t.name).sort());
            for (const t of expected) {
              expect(ck.shape(t.name)).toEqual(t.shape);
              const values = ck.readFloat32(t.name);
              expect(values.length).toBe(t.shape.reduce((a, b) => a * b, 1));
              expect(values.every(Number.isFinite)).toBe(true);
            }
            const st = made.files.filter((f) => f.endsWith('.safetensors'));
            expect(st.length).toBe(shards);
            expect(ck.files).toEqual(made.files);
            expect(ck.files.map((f) => path.basename(f))).toEqual(
              expect.arrayContaining([
                'config.json',
                'tokenizer.json',
                'tokenizer_config.json',
                'generation_config.json',
              ]),
            );
          } finally {
            ck.dispose();
          }
        });
      }
    }
  }

  it('writes the same values for a seed, rounded per dtype, and new values for a new seed', () => {
    const name = 'model.layers.1.self_attn.q_proj.weight';
    const read = (dtype: 'fp32' | 'bf16' | 'fp16', seed: number): Float32Array => {
      const dir = path.join(tmp, `seed-${dtype}-${seed}`);
      makeCheckpoint({ family: 'qwen3', outDir: dir, seed, dtype, shards: 2 });
      const ck = openCheckpoint(dir);
      const v = ck.readFloat32(name);
      ck.dispose();
      return v;
    };
    const a = read('fp32', 1);
    expect(read('fp32', 1)).toEqual(a);
    expect(read('fp32', 2)).not.toEqual(a);
    const bf = read('bf16', 1);
    const half = read('fp16', 1);
    a.forEach((v, i) => {
      expect(bf[i]).toBe(bfloat16BitsToFloat(floatToBfloat16Bits(v)));
      expect(half[i]).toBe(halfBitsToFloat(floatToHalfBits(v)));
    });
  });

  it('writes family-specific config keys, an index and generation settings', () => {
    const dir = path.join(tmp, 'keys');
    const root = (f: string): string => path.join(dir, f);
    makeCheckpoint({ family: 'llama', outDir: dir, shards: 4, dtype: 'bf16' });
    const llama = readJson(root('config.json'));
    expect(llama.rope_scaling).toMatchObject({ rope_type: 'llama3', factor: 8 });
    expect(llama.torch_dtype).toBe('bfloat16');
    expect(llama.tie_word_embeddings).toBe(false);
    const index = readJson(root('model.safetensors.index.json'));
    const weightMap = index.weight_map as Record<string, string>;
    expect(new Set(Object.values(weightMap))).toEqual(
      new Set([1, 2, 3, 4].map((i) => `model-0000${i}-of-00004.safetensors`)),
    );
    const dataBytes = [1, 2, 3, 4]
      .map((i) => fs.readFileSync(root(`model-0000${i}-of-00004.safetensors`)))
      .reduce((sum, buf) => sum + buf.length - 8 - Number(buf.readBigUInt64LE(0)), 0);
    expect((index.metadata as { total_size: number }).total_size).toBe(dataBytes);
    const gen = readJson(root('generation_config.json'));
    expect(gen).toMatchObject({ bos_token_id: 0, eos_token_id: [2, 0] });

    makeCheckpoint({ family: 'qwen3', outDir: path.join(tmp, 'q3') });
    const q3 = readJson(path.join(tmp, 'q3', 'config.json'));
    expect(q3.head_dim).toBe(32);
    expect(q3.tie_word_embeddings).toBe(true);
    makeCheckpoint({ family: 'qwen2', outDir: path.join(tmp, 'q2') });
    const q2 = readJson(path.join(tmp, 'q2', 'config.json'));
    expect(q2.attention_bias).toBeUndefined();
    expect(fs.existsSync(path.join(tmp, 'q2', 'model.safetensors'))).toBe(true);
  });

  it('accepts dimension overrides and untied embeddings', () => {
    const dir = path.join(tmp, 'dims');
    const dims = { hiddenSize: 48, numHeads: 6, numKvHeads: 3, numLayers: 3, vocabSize: 300 };
    makeCheckpoint({ family: 'qwen2', outDir: dir, dims: { ...dims, tieWordEmbeddings: false } });
    const ck = openCheckpoint(dir);
    expect(ck.spec).toMatchObject({ ...dims, headDim: 8, tieWordEmbeddings: false });
    expect(ck.shape('lm_head.weight')).toEqual([300, 48]);
    ck.dispose();
  });

  it('produces logits that are spread out, not degenerate', () => {
    // Final norm output has unit RMS, so lm_head rows dotted with a random unit-RMS vector give
    // the logit scale the init aims for.
    const dir = path.join(tmp, 'scale');
    makeCheckpoint({ family: 'mistral', outDir: dir, seed: 3 });
    const ck = openCheckpoint(dir);
    const head = ck.readFloat32('lm_head.weight');
    const h = ck.spec.hiddenSize;
    const x = Array.from({ length: h }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const logits = Array.from({ length: ck.spec.vocabSize }, (_, r) =>
      x.reduce((s, xi, i) => s + xi * head[r * h + i]!, 0),
    );
    const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
    const std = Math.sqrt(logits.reduce((a, b) => a + (b - mean) ** 2, 0) / logits.length);
    expect(std).toBeGreaterThan(1);
    expect(std).toBeLessThan(6);
    ck.dispose();
  });

  it('rejects a shard count larger than the tensor count', () => {
    expect(() =>
      makeCheckpoint({ family: 'llama', outDir: path.join(tmp, 'bad'), shards: 1000 }),
    ).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('has a Qwen2.5-0.5B-sized preset', () => {
    const spec = randomSpec('qwen2', QWEN2_5_0_5B_DIMS);
    expect(spec).toMatchObject({ hiddenSize: 896, numLayers: 24, numHeads: 14, numKvHeads: 2 });
    expect(spec.headDim).toBe(64);
    const params = expectedTensors(spec).reduce(
      (s, t) => s + t.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(Math.round(params / 1e6)).toBe(494); // the published parameter count
  });
});
