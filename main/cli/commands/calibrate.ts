/**
 * `calibrate --model DIR [--what heads|layers|all] [--lengths 512,1024,2048] [--depths 0,0.5,1]
 *  [--max-probes N] [--needles FILE] [--haystack FILE] [--max-new-tokens N] [--min-recall X]
 *  [--seed N] [--out DIR] [--provider P] --json`
 * -> {"dir":..., "where":"model"|"cache"|"out-dir", "files":[...], "probes":{...}, ...}
 *
 * Finds the model's semantic retrieval heads and layer eviction errors (CompressKV calibration)
 * and writes heads.json, head-scores.json and layer-scores.json into the model's calibration
 * folder (<model>/calibration/, or a per-checkpoint folder in the cache when the model folder is
 * read-only). Progress with ETA on stderr; Ctrl-C stops after the current step and a rerun
 * resumes from the probes already done.
 */
import { isAbsolute, resolve } from 'node:path';
import { DEMO_MODEL_DIR } from '../../app-service/app-paths';
import {
  calibrate,
  CALIBRATION_DEFAULTS,
  type CalibrateWhat,
} from '../../engine/calibration/calibrate';
import { formatProgress } from '../../engine/calibration/progress-clock';
import { fileHaystack } from '../../engine/niah/haystack';
import { readNeedlesFile } from '../../engine/niah/needles';
import { PROVIDER_CHOICES } from '../../engine/runtime/providers';
import { choiceFlag, intFlag, intListFlag, numberFlag, numberListFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';

const WHAT: readonly CalibrateWhat[] = ['heads', 'layers', 'all'];

/** `default` is the bundled demo model; anything else is a folder path. */
export function resolveModelDir(value: string): string {
  if (value === 'default') return DEMO_MODEL_DIR;
  return isAbsolute(value) ? value : resolve(value);
}

export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  usage:
    'calibrate --model DIR|default [--what heads|layers|all] [--lengths N,...] [--depths X,...] [--max-probes N] [--needles FILE] [--haystack FILE] [--max-new-tokens N] [--min-recall X] [--seed N] [--out DIR] [--provider P]',
  summary:
    "Find a model's retrieval heads and layer eviction errors for CompressKV; prints the files written.",
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: [
        'model',
        'what',
        'lengths',
        'depths',
        'max-probes',
        'needles',
        'haystack',
        'max-new-tokens',
        'min-recall',
        'seed',
        'out',
        'provider',
      ],
      required: ['model'],
    });
    const modelDir = resolveModelDir(args.values.get('model')!);
    const d = CALIBRATION_DEFAULTS;
    const needlesFile = args.values.get('needles');
    const haystackFile = args.values.get('haystack');
    const out = args.values.get('out');
    let lastLine = 0;
    const outcome = await calibrate(modelDir, {
      what: choiceFlag(args, 'what', WHAT, 'all'),
      lengths: intListFlag(args, 'lengths') ?? d.lengths,
      depths: numberListFlag(args, 'depths') ?? d.depths,
      ...(args.values.has('max-probes') ? { maxProbes: intFlag(args, 'max-probes', 0, 1) } : {}),
      ...(needlesFile ? { needles: readNeedlesFile(needlesFile) } : {}),
      ...(haystackFile ? { haystack: fileHaystack(haystackFile) } : {}),
      maxNewTokens: intFlag(args, 'max-new-tokens', d.maxNewTokens, 1, 4096),
      minRecall: numberFlag(args, 'min-recall', d.minRecall),
      seed: intFlag(args, 'seed', d.seed),
      ...(out ? { outDir: out } : {}),
      provider: choiceFlag(args, 'provider', PROVIDER_CHOICES, 'cpu'),
      signal: io.signal,
      onProgress: (p) => {
        // Every probe when they are slow, at most one line a second when they are fast.
        if (p.done < p.total && p.elapsedMs - lastLine < 1000 && !p.resumed) return;
        lastLine = p.elapsedMs;
        io.log(formatProgress(p));
      },
    });
    for (const w of outcome.warnings) io.log(`warning: ${w}`);
    return {
      json: outcome,
      text: `wrote ${outcome.files.join(', ')} (${outcome.where} folder) in ${(outcome.ms / 1000).toFixed(1)} s`,
    };
  },
};
