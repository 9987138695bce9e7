/**
 * Compares the tensors found in a checkpoint with the ones its spec requires and throws one
 * KvLensError('invalid-checkpoint') that names the problem tensors and the file they are in.
 */
import { KvLensError } from '../../app/errors';
import type { ModelSpec } from '../../app/model/model-spec';
import { expectedTensors, IGNORED_TENSOR, LM_HEAD } from './expected-tensors';

export interface FoundTensor {
  shape: number[];
  /** The file that holds it, for messages. */
  file: string;
}

const LIST_LIMIT = 5;

/** Throws on missing, unexpected or wrongly shaped tensors; `where` names the checkpoint. */
export function validateTensors(
  spec: ModelSpec,
  found: ReadonlyMap<string, FoundTensor>,
  where: string,
): void {
  const expected = expectedTensors(spec);
  const expectedNames = new Set(expected.map((t) => t.name));
  const missing = expected.filter((t) => !found.has(t.name)).map((t) => t.name);
  if (missing.length > 0) {
    const hint =
      missing.includes(LM_HEAD) && missing.length === 1
        ? ' (config.json says tie_word_embeddings is false, so lm_head.weight must be stored)'
        : '';
    throw new KvLensError(
      'invalid-checkpoint',
      `${where} is missing ${missing.length} tensor(s) the ${spec.family} config requires: ` +
        `${listSome(missing)}${hint}.`,
    );
  }
  const extra = [...found.keys()].filter(
    (n) =>
      !expectedNames.has(n) &&
      !IGNORED_TENSOR.test(n) &&
      // Some tied checkpoints still store a copy of the embedding as lm_head; it is unused.
      !(n === LM_HEAD && spec.tieWordEmbeddings),
  );
  if (extra.length > 0) {
    const first = found.get(extra[0]!)!;
    throw new KvLensError(
      'invalid-checkpoint',
      `${where} has ${extra.length} unexpected tensor(s) for a ${spec.family} model with ` +
        `${spec.numLayers} layers: ${listSome(extra.sort())} (first one in ${first.file}); ` +
        'the checkpoint does not match config.json.',
    );
  }
  const shaped = [...expected];
  if (spec.tieWordEmbeddings && found.has(LM_HEAD)) {
    shaped.push({ name: LM_HEAD, shape: [spec.vocabSize, spec.hiddenSize], role: 'linear' });
  }
  for (const t of shaped) {
    const f = found.get(t.name)!;
    if (f.shape.length !== t.shape.length || f.shape.some((d, i) => d !== t.shape[i])) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${f.file}: tensor "${t.name}" has shape [${f.shape.join(', ')}] but config.json ` +
          `implies [${t.shape.join(', ')}].`,
      );
    }
  }
}

function listSome(names: readonly string[]): string {
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown} and ${names.length - LIST_LIMIT} more` : shown;
}
