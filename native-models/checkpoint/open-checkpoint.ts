/**
 * Opens a Hugging Face model folder (config.json, tokenizer files, one model.safetensors or
 * shards listed by model.safetensors.index.json), validates it completely against config.json and
 * returns a Checkpoint that reads tensors lazily from disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KvLensError } from '../../app/errors';
import type { Checkpoint } from './checkpoint';
import { parseModelConfig } from './parse-config';
import { SafetensorsFile } from './safetensors/safetensors-file';
import { IGNORED_TENSOR } from './expected-tensors';
import { validateTensors, type FoundTensor } from './validate-tensors';
import { readJsonFile } from './read-json-file';

const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';
const REQUIRED_TOKENIZER = ['tokenizer.json'];
const OPTIONAL_FILES = ['tokenizer_config.json', 'generation_config.json'];

/** Opens and validates the model folder `dir`; throws KvLensError naming the bad file. */
export function openCheckpoint(dir: string): Checkpoint {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new KvLensError('not-found', `Model folder ${root} does not exist.`);
  }
  const configPath = path.join(root, 'config.json');
  const spec = parseModelConfig(readJsonFile(configPath, 'the model folder'), configPath);
  for (const name of REQUIRED_TOKENIZER) {
    if (!fs.existsSync(path.join(root, name))) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${root} has no ${name}; the tokenizer is needed to run the model.`,
      );
    }
  }
  const { shardNames, weightMap, indexPath } = locateWeights(root);
  const shards: SafetensorsFile[] = [];
  try {
    for (const name of shardNames) shards.push(SafetensorsFile.open(path.join(root, name)));
    const owner = new Map<string, SafetensorsFile>();
    const found = new Map<string, FoundTensor>();
    for (const shard of shards) {
      for (const name of shard.names()) {
        if (IGNORED_TENSOR.test(name)) continue;
        const prev = owner.get(name);
        if (prev) {
          throw new KvLensError(
            'invalid-checkpoint',
            `Tensor "${name}" is stored twice: in ${prev.path} and ${shard.path}.`,
          );
        }
        owner.set(name, shard);
        found.set(name, { shape: shard.info(name).shape, file: shard.path });
      }
    }
    if (weightMap && indexPath) checkIndex(weightMap, owner, root, indexPath);
    validateTensors(spec, found, root);

    const files = [configPath, ...shards.map((s) => s.path)];
    if (indexPath) files.push(indexPath);
    for (const name of [...REQUIRED_TOKENIZER, ...OPTIONAL_FILES]) {
      const p = path.join(root, name);
      if (fs.existsSync(p)) files.push(p);
    }
    files.sort();
    const names = [...owner.keys()].sort();
    const shardOf = (name: string): SafetensorsFile => {
      const s = owner.get(name);
      if (!s) {
        throw new KvLensError(
          'invalid-checkpoint',
          `The checkpoint ${root} has no tensor "${name}".`,
        );
      }
      return s;
    };
    return {
      dir: root,
      spec,
      files,
      tensorNames: () => [...names],
      shape: (name) => [...shardOf(name).info(name).shape],
      readFloat32: (name) => shardOf(name).readFloat32(name),
      dispose: () => shards.forEach((s) => s.dispose()),
    };
  } catch (err) {
    shards.forEach((s) => s.dispose());
    throw err;
  }
}

interface WeightFiles {
  shardNames: string[];
  weightMap: Record<string, string> | null;
  indexPath: string | null;
}

function locateWeights(root: string): WeightFiles {
  // Hugging Face prefers the single file when both exist; so do we.
  if (fs.existsSync(path.join(root, SINGLE))) {
    return { shardNames: [SINGLE], weightMap: null, indexPath: null };
  }
  const indexPath = path.join(root, INDEX);
  if (!fs.existsSync(indexPath)) {
    throw new KvLensError(
      'invalid-checkpoint',
      `${root} has no weights: expected ${SINGLE} or ${INDEX} with its shards.`,
    );
  }
  const index = readJsonFile(indexPath, 'the model folder');
  const map = (index as { weight_map?: unknown }).weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new KvLensError('invalid-checkpoint', `${indexPath} has no "weight_map" object.`);
  }
  const weightMap: Record<string, string> = {};
  for (const [tensor, file] of Object.entries(map)) {
    if (
      typeof file !== 'string' ||
      file !== path.basename(file) ||
      !file.endsWith('.safetensors')
    ) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${indexPath}: weight_map entry "${tensor}" must name a .safetensors file in the same ` +
          `folder, got ${JSON.stringify(file)}.`,
      );
    }
    weightMap[tensor] = file;
  }
  const shardNames = [...new Set(Object.values(weightMap))].sort();
  if (shardNames.length === 0) {
    throw new KvLensError('invalid-checkpoint', `${indexPath}: "weight_map" is empty.`);
  }
  for (const name of shardNames) {
    if (!fs.existsSync(path.join(root, name))) {
      throw new KvLensError(
        'invalid-checkpoint',
        `Shard ${name} listed in ${indexPath} is missing from ${root}.`,
      );
    }
  }
  return { shardNames, weightMap, indexPath };
}

/** Every tensor the index lists must be in the shard it names. */
function checkIndex(
  weightMap: Record<string, string>,
  owner: ReadonlyMap<string, SafetensorsFile>,
  root: string,
  indexPath: string,
): void {
  for (const [tensor, file] of Object.entries(weightMap)) {
    if (IGNORED_TENSOR.test(tensor)) continue;
    const holder = owner.get(tensor);
    if (!holder || path.basename(holder.path) !== file) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${indexPath} says tensor "${tensor}" is in ${file}, but ` +
          (holder ? `it is in ${path.basename(holder.path)}.` : `no shard in ${root} holds it.`),
      );
    }
  }
}
