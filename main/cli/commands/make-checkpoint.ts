/**
 * `make-checkpoint`: writes a random-weight Hugging Face model folder of a supported family, for
 * tests, benchmarks and trying the app without downloading a model.
 */
import { SUPPORTED_FAMILIES } from '../../../app/model/model-spec';
import { WEIGHT_DTYPES } from '../../../native-models/checkpoint/checkpoint';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { choiceFlag, intFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';

export const makeCheckpointCommand: CliCommand = {
  name: 'make-checkpoint',
  usage:
    'make-checkpoint --family llama|mistral|qwen2|qwen3 --out DIR [--seed N] [--dtype bf16|fp16|fp32] [--shards K]',
  summary: 'Write a random-weight Hugging Face checkpoint (config, safetensors, tokenizer).',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['family', 'out', 'seed', 'dtype', 'shards'],
      required: ['family', 'out'],
    });
    const family = choiceFlag(args, 'family', SUPPORTED_FAMILIES, 'llama');
    const made = makeCheckpoint({
      family,
      outDir: args.values.get('out')!,
      seed: intFlag(args, 'seed', 0, 0, 0xffffffff),
      dtype: choiceFlag(args, 'dtype', WEIGHT_DTYPES, 'fp32'),
      shards: intFlag(args, 'shards', 1, 1, 1000),
      onProgress: io.log,
    });
    return {
      json: { dir: made.dir, family: made.family, files: made.files },
      text: `Wrote a random ${made.family} checkpoint to ${made.dir} (${made.files.length} files).`,
    };
  },
};
