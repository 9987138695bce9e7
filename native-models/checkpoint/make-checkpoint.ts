/**
 * Writes a complete random-weight Hugging Face model folder (config.json, safetensors in one file
 * or K shards + index, generation_config.json, tokenizer.json, tokenizer_config.json) for tests
 * and benchmarks. Deterministic for a given seed. Tensors are generated one at a time while the
 * shard is written, so checkpoints larger than memory can be made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KvLensError } from '../../app/errors';
import type { ModelFamily, ModelSpec } from '../../app/model/model-spec';
import type { WeightDtype } from './checkpoint';
import { expectedTensors, LM_HEAD, type ExpectedTensor } from './expected-tensors';
import { specToHfConfig } from './random-model/hf-config';
import { hashString, Random } from './random-model/random';
import { buildTokenizerFiles, ENDOFTEXT_ID, IM_END_ID } from './random-model/random-tokenizer';
import { randomSpec, type CheckpointDims } from './random-spec';
import { safetensorsDataBytes, writeSafetensors } from './safetensors/safetensors-writer';
import type { SafetensorsDtype } from './safetensors/safetensors-header';

export interface MakeCheckpointOptions {
  family: ModelFamily;
  outDir: string;
  seed?: number;
  dtype?: WeightDtype;
  /** 1 writes model.safetensors; K > 1 writes K shards and model.safetensors.index.json. */
  shards?: number;
  dims?: Partial<CheckpointDims>;
  /** Called before each shard is written (large checkpoints take a while). */
  onProgress?: (message: string) => void;
}

export interface MadeCheckpoint {
  dir: string;
  family: ModelFamily;
  spec: ModelSpec;
  /** Absolute paths of every file written, sorted. */
  files: string[];
}

const FILE_DTYPE: Record<WeightDtype, SafetensorsDtype> = {
  bf16: 'BF16',
  fp16: 'F16',
  fp32: 'F32',
};

/** Writes a random checkpoint of `family` into `outDir` (created; existing files replaced). */
export function makeCheckpoint(options: MakeCheckpointOptions): MadeCheckpoint {
  const { family, seed = 0, dtype = 'fp32', shards = 1 } = options;
  const spec = randomSpec(family, options.dims);
  const dir = path.resolve(options.outDir);
  const tensors = expectedTensors(spec);
  if (!Number.isInteger(shards) || shards < 1 || shards > tensors.length) {
    throw new KvLensError(
      'invalid-argument',
      `shards must be an integer from 1 to ${tensors.length} (the number of tensors), got ${shards}.`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const writeJson = (name: string, value: unknown): void => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, `${JSON.stringify(value, null, 2)}\n`);
    written.push(p);
  };
  const ids = { bos: ENDOFTEXT_ID, eos: [IM_END_ID, ENDOFTEXT_ID], pad: ENDOFTEXT_ID };
  writeJson('config.json', specToHfConfig(spec, dtype, ids));
  writeJson('generation_config.json', {
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    do_sample: false,
  });
  const tok = buildTokenizerFiles(spec.vocabSize);
  writeJson('tokenizer.json', tok.tokenizerJson);
  writeJson('tokenizer_config.json', tok.tokenizerConfig);

  const fileDtype = FILE_DTYPE[dtype];
  const groups = splitIntoShards(tensors, shards, fileDtype);
  const shardName = (i: number): string =>
    shards === 1 ? 'model.safetensors' : `model-${pad5(i + 1)}-of-${pad5(shards)}.safetensors`;
  const weightMap: Record<string, string> = {};
  groups.forEach((group, i) => {
    const name = shardName(i);
    options.onProgress?.(`writing ${name} (${group.length} tensors)`);
    const entries = group.map((t) => ({
      name: t.name,
      shape: t.shape,
      data: () => randomTensor(t, spec, seed),
    }));
    writeSafetensors(path.join(dir, name), entries, fileDtype);
    written.push(path.join(dir, name));
    for (const t of group) weightMap[t.name] = name;
  });
  if (shards > 1) {
    writeJson('model.safetensors.index.json', {
      metadata: { total_size: safetensorsDataBytes(tensors, fileDtype) },
      weight_map: weightMap,
    });
  }
  return { dir, family, spec, files: written.sort() };
}

/** Contiguous groups of roughly equal bytes, each holding at least one tensor. */
function splitIntoShards(
  tensors: ExpectedTensor[],
  count: number,
  dtype: SafetensorsDtype,
): ExpectedTensor[][] {
  const total = safetensorsDataBytes(tensors, dtype);
  const groups: ExpectedTensor[][] = [[]];
  let cum = 0;
  tensors.forEach((t, i) => {
    const current = groups[groups.length - 1]!;
    const shardsAfter = count - groups.length;
    const tensorsLeft = tensors.length - i;
    const full = cum >= (groups.length * total) / count;
    if (current.length > 0 && shardsAfter > 0 && (full || tensorsLeft <= shardsAfter))
      groups.push([]);
    groups[groups.length - 1]!.push(t);
    cum += safetensorsDataBytes([t], dtype);
  });
  return groups;
}

/**
 * Values for one tensor, from a stream seeded by (seed, name). Scales keep activations near unit
 * size through the layers, attention non-uniform and logits spread over a few units, so greedy
 * decoding has clear winners and the numerics of every block matter.
 */
function randomTensor(t: ExpectedTensor, spec: ModelSpec, seed: number): Float32Array {
  const rng = new Random(hashString(`${seed}:${t.name}`));
  const count = t.shape.reduce((a, b) => a * b, 1);
  const fanIn = t.shape[t.shape.length - 1]!;
  const logitStd = 2.5 / Math.sqrt(spec.hiddenSize);
  switch (t.role) {
    case 'norm':
      return rng.fillNormal(count, 1, 0.1);
    case 'bias':
      return rng.fillNormal(count, 0, 0.2);
    case 'embedding':
      // Tied: the embedding is also the output projection, so it takes the logit scale.
      return rng.fillNormal(count, 0, spec.tieWordEmbeddings ? logitStd : 1);
    case 'linear': {
      if (t.name === LM_HEAD) return rng.fillNormal(count, 0, logitStd);
      // Residual-branch outputs are smaller so the stream is not swamped layer after layer.
      const out = /o_proj|down_proj/.test(t.name) ? 0.5 : 1;
      return rng.fillNormal(count, 0, out / Math.sqrt(fanIn));
    }
  }
}

function pad5(n: number): string {
  return String(n).padStart(5, '0');
}
