/**
 * `inspect --model DIR --tokens IDS --method M --budget B [--heads FILE] [--layer-scores FILE]
 *  [--window 8] [--kernel 5] [--kept-tail N] [--provider P] [--chunk-size N] --json`
 * -> {"budgets":[B_l...],"layers":[{"budget":b,"kept":[...]} | {"budget":b,"kvHeads":[{"kept":[...]}]}],
 *     "warnings":[...]}
 *
 * The token ids are the whole prompt (its last W tokens are the window). Shared-set methods
 * (StreamingLLM, CompressKV, SRH only, full) print "kept" per layer; per-KV-head methods (H2O,
 * SnapKV, PyramidKV, SnapKV + layer budgets) print "kvHeads". Warnings also go to stderr.
 */
import type { KeptPositions } from '../../../app/kv/kept-positions';
import { scoredPrefill } from '../../engine/document-session/scored-prefill';
import { selectKept } from '../../engine/kv/select-kept';
import { openModelSession } from '../../engine/runtime/open-model-session';
import { PROVIDER_CHOICES } from '../../engine/runtime/providers';
import { choiceFlag, intFlag, intListFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';
import { KV_FLAGS, KV_FLAGS_USAGE, readKvRequest } from './kv-flags';

type LayerJson =
  { budget: number; kept: number[] } | { budget: number; kvHeads: { kept: number[] }[] };

export const inspectCommand: CliCommand = {
  name: 'inspect',
  usage: `inspect --model DIR --tokens IDS ${KV_FLAGS_USAGE} [--provider P] [--chunk-size N]`,
  summary: 'Kept positions per layer (and KV head) that a compression method picks for a prompt.',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['model', 'tokens', 'provider', 'chunk-size', ...KV_FLAGS],
      required: ['model', 'tokens', 'method'],
    });
    const modelDir = args.values.get('model')!;
    const ids = intListFlag(args, 'tokens')!;
    const request = await readKvRequest(args, modelDir);
    const provider = choiceFlag(args, 'provider', PROVIDER_CHOICES, 'cpu');
    const { session } = await openModelSession(modelDir, { provider });
    try {
      const cache = session.emptyCache();
      try {
        const pre = await scoredPrefill(session, cache, ids, {
          window: request.policy?.window ?? 8,
          chunkSize: intFlag(args, 'chunk-size', 256, 1, 1_000_000),
          signal: io.signal,
        });
        const T = pre.scores.T;
        const budget = request.method === 'full' ? T : request.budget;
        const sel = selectKept(
          request.method,
          pre.scores,
          budget,
          request.policy,
          request.calibration,
        );
        for (const w of sel.warnings) io.log(`warning: ${w}`);
        const layers = sel.layers.map((l, i) => layerJson(l, sel.budgets[i]!));
        return {
          json: { budgets: sel.budgets, layers, warnings: sel.warnings },
          text: sel.budgets.map((b, i) => `layer ${i}: budget ${b}`).join('\n'),
        };
      } finally {
        cache.dispose();
      }
    } finally {
      await session.dispose();
    }
  },
};

function layerJson(layer: KeptPositions, budget: number): LayerJson {
  if (layer.kind === 'shared') return { budget, kept: Array.from(layer.kept) };
  return { budget, kvHeads: layer.kvHeads.map((k) => ({ kept: Array.from(k) })) };
}
