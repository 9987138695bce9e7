import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KvLensError } from '../../app/errors';
import { makeCheckpoint, type MakeCheckpointOptions } from './make-checkpoint';
import { openCheckpoint } from './open-checkpoint';
import { SafetensorsFile } from './safetensors/safetensors-file';
import { writeSafetensors, type TensorToWrite } from './safetensors/safetensors-writer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-open-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let counter = 0;

function fresh(opts: Partial<MakeCheckpointOptions> = {}): string {
  const dir = path.join(tmp, `ck${counter++}`);
  makeCheckpoint({ family: 'llama', outDir: dir, ...opts });
  return dir;
}

/** Rewrites one safetensors file through `edit` (which may drop, add or reshape tensors). */
function rewrite(file: string, edit: (tensors: TensorToWrite[]) => TensorToWrite[]): void {
  const f = SafetensorsFile.open(file);
  const tensors = f.names().map((name) => ({
    name,
    shape: f.info(name).shape,
    data: f.readFloat32(name),
  }));
  f.dispose();
  writeSafetensors(file, edit(tensors), 'F32');
}

function openError(dir: string): KvLensError {
  try {
    openCheckpoint(dir).dispose();
  } catch (err) {
    expect(err).toBeInstanceOf(KvLensError);
    return err as KvLensError;
  }
  throw new Error('openCheckpoint did not throw');
}

const single = (dir: string): string => path.join(dir, 'model.safetensors');

describe('openCheckpoint validation', () => {
  it('reports missing tensors by name', () => {
    const dir = fresh();
    rewrite(single(dir), (ts) => ts.filter((t) => !t.name.includes('layers.1.mlp')));
    const err = openError(dir);
    expect(err.code).toBe('invalid-checkpoint');
    expect(err.message).toContain('missing 3 tensor(s)');
    expect(err.message).toContain('model.layers.1.mlp.down_proj.weight');
  });

  it('requires lm_head when embeddings are untied and accepts it when tied', () => {
    const untied = fresh({ family: 'mistral' });
    rewrite(single(untied), (ts) => ts.filter((t) => t.name !== 'lm_head.weight'));
    expect(openError(untied).message).toContain('tie_word_embeddings is false');

    const tied = fresh({ family: 'qwen3' });
    const ck = openCheckpoint(tied);
    expect(ck.tensorNames()).not.toContain('lm_head.weight');
    expect(() => ck.shape('lm_head.weight')).toThrow(/no tensor "lm_head.weight"/);
    ck.dispose();
    rewrite(single(tied), (ts) => [
      ...ts,
      { name: 'lm_head.weight', shape: [512, 64], data: new Float32Array(512 * 64) },
    ]);
    openCheckpoint(tied).dispose();
  });

  it('reports unexpected tensors but ignores rotary inv_freq buffers', () => {
    const dir = fresh();
    rewrite(single(dir), (ts) => [
      ...ts,
      {
        name: 'model.layers.0.self_attn.rotary_emb.inv_freq',
        shape: [8],
        data: new Float32Array(8),
      },
    ]);
    const ck = openCheckpoint(dir);
    expect(ck.tensorNames().some((n) => n.includes('inv_freq'))).toBe(false);
    ck.dispose();
    rewrite(single(dir), (ts) => [
      ...ts,
      { name: 'model.layers.7.mlp.up_proj.weight', shape: [2], data: new Float32Array(2) },
    ]);
    const err = openError(dir);
    expect(err.message).toContain('unexpected tensor(s)');
    expect(err.message).toContain('model.layers.7.mlp.up_proj.weight');
    expect(err.message).toContain('model.safetensors');
  });

  it('reports a wrong shape with expected and found', () => {
    const dir = fresh({ family: 'qwen2' });
    const name = 'model.layers.0.self_attn.k_proj.bias';
    rewrite(single(dir), (ts) =>
      ts.map((t) => (t.name === name ? { name, shape: [16], data: new Float32Array(16) } : t)),
    );
    const err = openError(dir);
    expect(err.message).toContain(name);
    expect(err.message).toContain('[16]');
    expect(err.message).toContain('[64]');
  });

  it('reports a shard missing from the index and an index that points at the wrong shard', () => {
    const dir = fresh({ shards: 3 });
    const shard = path.join(dir, 'model-00002-of-00003.safetensors');
    const indexPath = path.join(dir, 'model.safetensors.index.json');
    const index = JSON.parse(fs.readFileSync(indexPath, 'utf8')) as {
      weight_map: Record<string, string>;
    };
    const moved = shard + '.bak';
    fs.renameSync(shard, moved);
    let err = openError(dir);
    expect(err.message).toContain('model-00002-of-00003.safetensors');
    expect(err.message).toContain('missing');
    fs.renameSync(moved, shard);

    const [tensor] = Object.entries(index.weight_map).find(([, f]) => f.includes('00001'))!;
    index.weight_map[tensor] = 'model-00003-of-00003.safetensors';
    fs.writeFileSync(indexPath, JSON.stringify(index));
    err = openError(dir);
    expect(err.message).toContain(tensor);
    expect(err.message).toContain('model-00001-of-00003.safetensors');

    fs.writeFileSync(indexPath, '{"weight_map": [');
    expect(openError(dir).message).toContain('model.safetensors.index.json');
  });

  it('reports a tensor stored in two shards', () => {
    const dir = fresh({ shards: 2 });
    const first = path.join(dir, 'model-00001-of-00002.safetensors');
    rewrite(path.join(dir, 'model-00002-of-00002.safetensors'), (ts) => [
      ...ts,
      { name: 'model.embed_tokens.weight', shape: [512, 64], data: new Float32Array(512 * 64) },
    ]);
    const err = openError(dir);
    expect(err.message).toContain('stored twice');
    expect(err.message).toContain(first);
  });

  it('reports missing or broken folder files by name', () => {
    expect(openError(path.join(tmp, 'nope')).code).toBe('not-found');

    const noTok = fresh();
    fs.rmSync(path.join(noTok, 'tokenizer.json'));
    expect(openError(noTok).message).toContain('tokenizer.json');

    const noWeights = fresh();
    fs.rmSync(single(noWeights));
    expect(openError(noWeights).message).toMatch(/model\.safetensors or model\.safetensors\.index/);

    const noConfig = fresh();
    fs.rmSync(path.join(noConfig, 'config.json'));
    expect(openError(noConfig).message).toContain('config.json');

    const badType = fresh();
    const cfgPath = path.join(badType, 'config.json');
    const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(cfgPath, JSON.stringify({ ...cfg, model_type: 'phi3' }));
    const err = openError(badType);
    expect(err.code).toBe('unsupported');
    expect(err.message).toContain(cfgPath);
    expect(err.message).toContain('qwen3');

    const truncated = fresh();
    const buf = fs.readFileSync(single(truncated));
    fs.writeFileSync(single(truncated), buf.subarray(0, buf.length - 100));
    const terr = openError(truncated);
    expect(terr.message).toContain(single(truncated));
    expect(terr.message).toContain('truncated');
  });

  it('closes its files on dispose', () => {
    const dir = fresh();
    const ck = openCheckpoint(dir);
    ck.dispose();
    expect(() => ck.readFloat32('model.norm.weight')).toThrow(/disposed/);
  });
});
