/**
 * `budgets`: CompressKV's error-aware per-layer budgets from a layer-score file.
 */
import { readFileSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';
import { intFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';
import { errorAwareBudgets } from '../../engine/kv/budgets/error-aware-budgets';
import { parseLayerScores } from '../../engine/kv/budgets/layer-scores';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new KvLensError('not-found', `Cannot read the layer-score file ${file}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new KvLensError(
      'invalid-argument',
      `${file} is not valid JSON (${(err as Error).message}); expected an array of per-layer scores or {"avg_score":[...]}.`,
    );
  }
}

export const budgetsCommand: CliCommand = {
  name: 'budgets',
  usage: 'budgets --layer-scores FILE --budget B [--layers N] [--min 32] [--max 3B] [--json]',
  summary:
    'Per-layer KV budgets (error-aware allocation) from layer scores; scores are L1-normalised.',
  async run(argv) {
    const args = parseArgs(argv, {
      values: ['layer-scores', 'budget', 'layers', 'min', 'max'],
      required: ['layer-scores', 'budget'],
    });
    const file = args.values.get('layer-scores')!;
    const budget = intFlag(args, 'budget', 0, 1);
    const scores = parseLayerScores(readJson(file), file);
    const layers = intFlag(args, 'layers', scores.length, 1);
    if (layers !== scores.length) {
      throw new KvLensError(
        'usage',
        `--layers ${layers} does not match ${file}, which has scores for ${scores.length} layers.`,
      );
    }
    // The spec's m = 32 would make any budget below 32 infeasible; an explicit --min is kept.
    const min = intFlag(args, 'min', Math.min(32, budget), 1);
    const max = intFlag(args, 'max', 3 * budget, 1);
    const budgets = errorAwareBudgets(scores, { budget, min, max });
    return { json: { budgets }, text: budgets.join(' ') };
  },
};
