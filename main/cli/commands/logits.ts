/**
 * `logits --model DIR --tokens 1,2,3 --json` -> {"logits":[...]}: the last position's logits.
 */
import { KvLensError } from '../../../app/errors';
import { prefill } from '../../engine/generation/prefill';
import { openModelSession } from '../../engine/runtime/open-model-session';
import { PROVIDER_CHOICES } from '../../engine/runtime/providers';
import { choiceFlag, intFlag, intListFlag, parseArgs } from '../args';
import type { CliCommand } from '../command';

export const logitsCommand: CliCommand = {
  name: 'logits',
  usage: 'logits --model DIR --tokens IDS [--provider P] [--chunk-size N]',
  summary: 'Print the logits of the last position after running the token ids.',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['model', 'tokens', 'provider', 'chunk-size'],
      required: ['model', 'tokens'],
    });
    const tokens = intListFlag(args, 'tokens')!;
    const provider = choiceFlag(args, 'provider', PROVIDER_CHOICES, 'cpu');
    const chunkSize = intFlag(args, 'chunk-size', 256, 1);
    const { session } = await openModelSession(args.values.get('model')!, { provider });
    try {
      if (session.report.fallbackReason) io.log(`provider: ${session.report.fallbackReason}`);
      const cache = session.emptyCache();
      try {
        const out = await prefill(session, cache, tokens, { chunkSize, signal: io.signal });
        const logits = Array.from(out.logits);
        if (logits.some((x) => !Number.isFinite(x))) {
          throw new KvLensError('internal', 'The model produced non-finite logits.');
        }
        return { json: { logits }, text: `${logits.length} logits` };
      } finally {
        cache.dispose();
      }
    } finally {
      await session.dispose();
    }
  },
};
