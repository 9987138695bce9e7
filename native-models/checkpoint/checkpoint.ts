/**
 * The opened Hugging Face model folder every consumer (graph builder, reference forward pass,
 * runtime) reads weights through. `openCheckpoint` in open-checkpoint.ts makes one after
 * validating the folder against the spec, so consumers can trust names and shapes.
 */
import type { ModelSpec } from '../../app/model/model-spec';

export interface Checkpoint {
  /** Absolute path of the model folder. */
  dir: string;
  /** Normalised config.json. */
  spec: ModelSpec;
  /**
   * Absolute paths, sorted, of everything that defines the model's behaviour: config.json,
   * tokenizer.json, tokenizer_config.json, generation_config.json (if present), the shard index
   * (if present) and every safetensors file. Hash these to key caches.
   */
  files: string[];
  /** Every tensor stored in the checkpoint (sorted). lm_head.weight is absent when tied. */
  tensorNames(): string[];
  /** Throws KvLensError('invalid-checkpoint') for a name the checkpoint does not hold. */
  shape(name: string): number[];
  /** Reads one tensor from disk, converting bf16/fp16/fp32 to float32 exactly. */
  readFloat32(name: string): Float32Array;
  /** Closes the open safetensors files. */
  dispose(): void;
}

/** Storage dtypes the importer reads and the random-checkpoint maker writes. */
export type WeightDtype = 'bf16' | 'fp16' | 'fp32';

export const WEIGHT_DTYPES: readonly WeightDtype[] = ['bf16', 'fp16', 'fp32'];
