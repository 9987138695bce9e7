/**
 * The compression flags shared by `inspect` and `generate`: --method, --budget, --heads,
 * --layer-scores, --window, --kernel, --kept-tail.
 */
import { readFileSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';
import type { Calibration } from '../../../app/kv/kept-positions';
import { KV_METHODS, type KvMethod } from '../../../app/kv/methods';
import { DEFAULT_POLICY_OPTIONS } from '../../../app/kv/policy-options';
import { loadCalibration, parseHeads } from '../../engine/calibration/calibration-folder';
import { parseLayerScores } from '../../engine/kv/budgets/layer-scores';
import type { CompressionRequest } from '../../engine/document-session/compress-cache';
import { choiceFlag, intFlag, type ParsedArgs } from '../args';

export const KV_FLAGS = [
  'method',
  'budget',
  'heads',
  'layer-scores',
  'window',
  'kernel',
  'kept-tail',
] as const;

export const KV_FLAGS_USAGE =
  '[--method full|streamingllm|h2o|snapkv|pyramidkv|compresskv|srh-only|snapkv-layer-budgets] [--budget B] [--heads FILE] [--layer-scores FILE] [--window 8] [--kernel 5] [--kept-tail N]';

/** Methods that read the calibration (retrieval heads and/or layer scores). */
const CALIBRATED: readonly KvMethod[] = ['compresskv', 'srh-only', 'snapkv-layer-budgets'];

/**
 * The compression request the flags describe. --budget is required for every method but
 * `full`; without --method, a budget means CompressKV and no budget means full. Calibration
 * parts not given by --heads / --layer-scores come from the model's calibration folder, when it
 * has one.
 */
export async function readKvRequest(
  args: ParsedArgs,
  modelDir: string,
): Promise<CompressionRequest> {
  const hasBudget = args.values.has('budget');
  const method = choiceFlag(args, 'method', KV_METHODS, hasBudget ? 'compresskv' : 'full');
  if (method !== 'full' && !hasBudget) {
    throw new KvLensError(
      'usage',
      `--method ${method} needs --budget B (average tokens per layer).`,
    );
  }
  const budget = intFlag(args, 'budget', 1, 1);
  const policy = {
    window: intFlag(args, 'window', DEFAULT_POLICY_OPTIONS.window, 0),
    kernel: intFlag(args, 'kernel', DEFAULT_POLICY_OPTIONS.kernel, 1),
    // The last N prompt tokens are kept whatever their score (the app: the question's tokens).
    keptTail: intFlag(args, 'kept-tail', DEFAULT_POLICY_OPTIONS.keptTail, 0),
  };
  if (policy.kernel % 2 === 0) {
    throw new KvLensError(
      'usage',
      `--kernel must be odd (it is centred on a token), got ${policy.kernel}.`,
    );
  }
  const request: CompressionRequest = { method, budget, policy };
  if (!CALIBRATED.includes(method)) return request;
  const calibration: Calibration = {};
  const headsFile = args.values.get('heads');
  const scoresFile = args.values.get('layer-scores');
  if (headsFile) calibration.heads = parseHeads(readJson(headsFile, 'heads'), headsFile);
  if (scoresFile)
    calibration.layerScores = parseLayerScores(readJson(scoresFile, 'layer-scores'), scoresFile);
  if (!headsFile || !scoresFile) {
    const own = await loadCalibration(modelDir);
    if (!headsFile && own?.heads) calibration.heads = own.heads;
    if (!scoresFile && own?.layerScores) calibration.layerScores = own.layerScores;
  }
  request.calibration = calibration;
  return request;
}

function readJson(file: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new KvLensError('not-found', `Cannot read the --${flag} file ${file}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new KvLensError(
      'invalid-argument',
      `--${flag} file ${file} is not valid JSON (${(err as Error).message}).`,
    );
  }
}
