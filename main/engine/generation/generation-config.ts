/**
 * Sampling defaults from a model folder's generation_config.json (optional file). Its eos ids
 * are read by the tokenizer (ModelTokenizer.eosTokenIds), which also knows the config fallback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KvLensError } from '../../../app/errors';
import type { SamplingOptions } from './sampling';

export interface GenerationDefaults {
  /** What the model's authors recommend; greedy when the file says nothing about sampling. */
  sampling: SamplingOptions;
  maxNewTokens?: number;
}

/** Reads generation_config.json; a missing file means greedy. */
export function readGenerationDefaults(modelDir: string, seed = 0): GenerationDefaults {
  const file = join(modelDir, 'generation_config.json');
  if (!existsSync(file)) return { sampling: { kind: 'greedy' } };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new KvLensError('invalid-checkpoint', `${file} is not valid JSON: ${String(err)}`);
  }
  const num = (k: string) => (typeof json[k] === 'number' ? (json[k] as number) : undefined);
  const temperature = num('temperature') ?? 1;
  const sampling: SamplingOptions =
    json.do_sample === true && temperature > 0
      ? { kind: 'sample', temperature, topP: num('top_p') ?? 1, topK: num('top_k') ?? 0, seed }
      : { kind: 'greedy' };
  const out: GenerationDefaults = { sampling };
  const maxNew = num('max_new_tokens');
  if (maxNew !== undefined && maxNew > 0) out.maxNewTokens = maxNew;
  return out;
}
