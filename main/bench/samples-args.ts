/**
 * Options of `npm run bench -- samples`: parsed strictly, so a typo is a usage error (exit 2)
 * rather than a run with another setting than the one asked for.
 */
import { basename, resolve } from 'node:path';
import { KvLensError } from '../../app/errors';
import {
  COMPRESSION_METHODS,
  MIN_BUDGET,
  type CompressionMethod,
} from '../../app/chat/compression-methods';
import { MAX_BUDGET } from '../../app/ipc/validate-args';
import { MAX_NEW_TOKENS_LIMIT } from '../../app/settings/settings';
import { SAMPLES_DIR } from '../app-service/app-paths';
import { STORED_SETTINGS_DEFAULTS } from '../store/repositories/settings-rules';
import { choiceFlag, intFlag, parseArgs } from '../cli/args';
import { resolveModelDir } from '../cli/commands/calibrate';

export const SAMPLES_USAGE =
  'npm run bench -- samples [--method M] [--budget N] [--max-new-tokens N] [--model DIR|default] [--docs name,...] [--dir DIR]';

/** Answer tokens per question unless --max-new-tokens says otherwise (the replies are short). */
export const DEFAULT_SAMPLES_MAX_NEW_TOKENS = 32;

export interface SamplesOptions {
  /** The compressed setting measured next to the full cache (default: the app's defaults). */
  method: CompressionMethod;
  budget: number;
  maxNewTokens: number;
  /** Model folder, resolved; `default` is the bundled demo model. */
  modelDir: string;
  /** Sample names to run (file names without extension), or null for every sample. */
  docs: string[] | null;
  /** Folder of documents with their question JSONs, resolved (default: assets/samples). */
  dir: string;
  /** Where the figures go: bench-results/samples.json, or samples-<folder name>.json for --dir. */
  resultsFile: string;
}

/** The method and budget a new conversation gets in the app (the stored settings' defaults). */
export function appDefaultSetting(): { method: CompressionMethod; budget: number } {
  return {
    method: STORED_SETTINGS_DEFAULTS.defaultMethod,
    budget: STORED_SETTINGS_DEFAULTS.defaultBudget,
  };
}

export function parseSamplesArgs(argv: readonly string[]): SamplesOptions {
  const args = parseArgs(argv, {
    values: ['method', 'budget', 'max-new-tokens', 'model', 'docs', 'dir'],
  });
  if (args.positionals.length > 0) {
    throw new KvLensError(
      'usage',
      `Unexpected argument "${args.positionals[0]}". Usage: ${SAMPLES_USAGE}`,
    );
  }
  const defaults = appDefaultSetting();
  const methods = COMPRESSION_METHODS.map((m) => m.id);
  return {
    method: choiceFlag(args, 'method', methods, defaults.method),
    budget: intFlag(args, 'budget', defaults.budget, MIN_BUDGET, MAX_BUDGET),
    maxNewTokens: intFlag(
      args,
      'max-new-tokens',
      DEFAULT_SAMPLES_MAX_NEW_TOKENS,
      1,
      MAX_NEW_TOKENS_LIMIT,
    ),
    modelDir: resolveModelDir(args.values.get('model') ?? 'default'),
    docs: docsFlag(args.values.get('docs')),
    ...samplesFolder(args.values.get('dir')),
  };
}

/** --dir: another folder laid out like assets/samples; its figures get a file of their own. */
function samplesFolder(raw: string | undefined): { dir: string; resultsFile: string } {
  if (raw === undefined) return { dir: SAMPLES_DIR, resultsFile: 'samples.json' };
  const dir = resolve(raw);
  const name = basename(dir).replace(/[^\w.-]+/g, '-');
  if (name === '' || name === '.') {
    throw new KvLensError('usage', `--dir needs a folder with a name; got "${raw}".`);
  }
  return { dir, resultsFile: `samples-${name}.json` };
}

/** "a,b.pdf, c" -> ["a", "b", "c"] (extension dropped, repeats removed, order kept). */
function docsFlag(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const names = raw
    .split(',')
    .map((s) => s.trim().replace(/\.(pdf|json)$/i, ''))
    .filter((s) => s !== '');
  if (names.length === 0) {
    throw new KvLensError('usage', `--docs must be a comma-separated list of sample names.`);
  }
  return [...new Set(names)];
}

/**
 * The samples to run, in the order asked for (all of them, in their order, when none were
 * named); an unknown name is a usage error listing the ones there are.
 */
export function pickDocs<T extends { name: string }>(
  available: readonly T[],
  wanted: readonly string[] | null,
): T[] {
  if (wanted === null) return [...available];
  const byName = new Map(available.map((d) => [d.name, d]));
  const unknown = wanted.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const known = available.map((d) => d.name).join(', ') || '(none)';
    throw new KvLensError(
      'usage',
      `--docs: no sample named ${unknown.map((n) => `"${n}"`).join(', ')}. Samples: ${known}.`,
    );
  }
  return wanted.map((n) => byName.get(n)!);
}
