/**
 * `niah --model DIR|default --methods full,snapkv,... --budgets 32,64,128 --lengths 512,1024
 *  --depths 0,0.5,1 [--haystack FILE] [--needles FILE] [--max-new-tokens N] [--seed N]
 *  [--provider P] [--keep-question] --out DIR --json`
 * -> {"summary":{"<method>":{"<budget>":mean ROUGE-1 recall}}}
 *
 * Needle-in-a-haystack over lengths x depths x needles; each prompt is prefilled once and every
 * method x budget compresses from its stored scores. Writes results.json, summary.md and one
 * heatmap PNG per method and budget into --out. Progress with ETA on stderr.
 */
import { KvLensError } from '../../../app/errors';
import { isKvMethod, KV_METHODS, type KvMethod } from '../../../app/kv/methods';
import { fileHaystack } from '../../engine/niah/haystack';
import { readNeedlesFile } from '../../engine/niah/needles';
import { writeNiahReport } from '../../engine/niah/niah-report';
import { NIAH_DEFAULT_MAX_NEW_TOKENS, runNiah } from '../../engine/niah/run-niah';
import { PROVIDER_CHOICES } from '../../engine/runtime/providers';
import { choiceFlag, intFlag, intListFlag, numberListFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';
import { resolveModelDir } from './calibrate';

const DEFAULTS = {
  methods: ['full', 'streamingllm', 'h2o', 'snapkv', 'pyramidkv', 'compresskv'] as KvMethod[],
  budgets: [32, 64, 128],
  lengths: [512, 1024, 2048],
  depths: [0, 0.25, 0.5, 0.75, 1],
};

export const niahCommand: CliCommand = {
  name: 'niah',
  usage:
    'niah --model DIR|default --out DIR [--methods full,streamingllm,h2o,snapkv,pyramidkv,compresskv] [--budgets 32,64,128] [--lengths 512,1024,2048] [--depths 0,0.25,0.5,0.75,1] [--haystack FILE] [--needles FILE] [--max-new-tokens N] [--seed N] [--provider P] [--keep-question]',
  summary:
    'Needle-in-a-haystack scores of KV compression methods: results.json, summary.md and heatmaps.',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: [
        'model',
        'methods',
        'budgets',
        'lengths',
        'depths',
        'haystack',
        'needles',
        'max-new-tokens',
        'seed',
        'out',
        'provider',
      ],
      booleans: ['keep-question'],
      required: ['model', 'out'],
    });
    const rawMethods = args.values
      .get('methods')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const bad = rawMethods?.filter((m) => !isKvMethod(m)) ?? [];
    if (bad.length > 0 || rawMethods?.length === 0) {
      throw new KvLensError(
        'usage',
        `--methods: unknown ${bad.join(', ') || '(empty)'}. Allowed: ${KV_METHODS.join(', ')}.`,
      );
    }
    const settings = {
      methods: (rawMethods as KvMethod[] | undefined) ?? DEFAULTS.methods,
      budgets: intListFlag(args, 'budgets') ?? DEFAULTS.budgets,
      lengths: intListFlag(args, 'lengths') ?? DEFAULTS.lengths,
      depths: numberListFlag(args, 'depths') ?? DEFAULTS.depths,
      maxNewTokens: intFlag(args, 'max-new-tokens', NIAH_DEFAULT_MAX_NEW_TOKENS, 1, 4096),
      seed: intFlag(args, 'seed', 0),
      haystackFile: args.values.get('haystack') ?? 'generated',
      needlesFile: args.values.get('needles') ?? 'generated',
      // As the app: the question turn is kept and only document tokens compete for the budget.
      keepQuestion: args.booleans.has('keep-question'),
    };
    const modelDir = resolveModelDir(args.values.get('model')!);
    let lastLine = 0;
    const run = await runNiah(modelDir, {
      ...settings,
      ...(settings.needlesFile !== 'generated'
        ? { needles: readNeedlesFile(settings.needlesFile) }
        : {}),
      ...(settings.haystackFile !== 'generated'
        ? { haystack: fileHaystack(settings.haystackFile) }
        : {}),
      provider: choiceFlag(args, 'provider', PROVIDER_CHOICES, 'cpu'),
      signal: io.signal,
      onProgress: (p) => {
        if (p.done < p.total && p.elapsedMs - lastLine < 1000) return;
        lastLine = p.elapsedMs;
        io.log(
          `niah: prompt ${p.done} of ${p.total} (${p.cell}), ${Math.round(p.etaMs / 1000)} s left`,
        );
      },
    });
    for (const s of run.skipped) io.log(`skipped ${s.method}: ${s.reason}`);
    for (const w of run.warnings) io.log(`warning: ${w}`);
    const { files, summary } = writeNiahReport(args.values.get('out')!, run, {
      ...settings,
      model: modelDir,
    });
    io.log(`niah: wrote ${files.join(', ')}`);
    const lines = Object.entries(summary).map(
      ([m, r]) =>
        `${m}: ${Object.entries(r)
          .map(([b, s]) => `B${b}=${s.toFixed(3)}`)
          .join(' ')}`,
    );
    return {
      // Exactly the summary object; files, skips and warnings are on stderr and in --out.
      json: { summary },
      text: [...lines, `wrote ${files.length} files to ${args.values.get('out')!}`].join('\n'),
    };
  },
};
