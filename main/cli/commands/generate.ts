/**
 * `generate --model DIR (--tokens IDS | --prompt TEXT) [--max-new-tokens N] [--greedy]
 *  [--temperature T] [--top-p P] [--top-k K] [--seed N] [--provider P] [--chunk-size N]
 *  [--method M] [--budget B] [--heads FILE] [--layer-scores FILE] [--window 8] [--kernel 5] [--kept-tail N] --json`
 * -> {"tokens":[generated ids],"text":"...","provider":"cpu","stats":{...,"retention":{...}}}
 *
 * --tokens is the raw prompt (no template); --prompt is wrapped in the chat template as a user
 * turn. Prefill progress goes to stderr. With --method/--budget the prompt's cache is compressed
 * once after prefill (compresskv.md); stats.retention reports the tokens kept, the KV bytes of
 * the full and compressed cache and the per-layer budgets (method full without those flags).
 */
import { KvLensError } from '../../../app/errors';
import {
  DEFAULT_MAX_NEW_TOKENS,
  generateAll,
  type GenerateOptions,
} from '../../engine/generation/generate';
import type { SamplingOptions } from '../../engine/generation/sampling';
import { drain } from '../../engine/generation/decode-loop';
import {
  fullRetention,
  generateCompressed,
} from '../../engine/document-session/generate-compressed';
import { loadModel, type LoadedModel } from '../../engine/load-model';
import { PROVIDER_CHOICES } from '../../engine/runtime/providers';
import {
  choiceFlag,
  intFlag,
  intListFlag,
  numberFlag,
  parseArgs,
  type FlagSpec,
  type ParsedArgs,
} from '../args';
import type { CliCommand, CliIo } from '../command';
import { KV_FLAGS, KV_FLAGS_USAGE, readKvRequest } from './kv-flags';

/** Flags of `generate`; compression flags (--method, --budget, ...) extend this list. */
export const GENERATE_FLAGS: FlagSpec = {
  values: [
    'model',
    'tokens',
    'prompt',
    'max-new-tokens',
    'temperature',
    'top-p',
    'top-k',
    'seed',
    'provider',
    'chunk-size',
    ...KV_FLAGS,
  ],
  booleans: ['greedy'],
  required: ['model'],
};

export const generateCommand: CliCommand = {
  name: 'generate',
  usage:
    'generate --model DIR (--tokens IDS | --prompt TEXT) [--max-new-tokens N] [--greedy] [--temperature T] [--top-p P] [--top-k K] [--seed N] [--provider cpu|auto|cuda|dml|coreml|webgpu] [--chunk-size N] ' +
    KV_FLAGS_USAGE,
  summary: 'Generate tokens from a raw token prompt or a chat-templated text prompt.',
  async run(argv, io) {
    const args = parseArgs(argv, GENERATE_FLAGS);
    const hasTokens = args.values.has('tokens');
    if (hasTokens === args.values.has('prompt')) {
      throw new KvLensError('usage', 'Give exactly one of --tokens IDS or --prompt TEXT.');
    }
    const provider = choiceFlag(args, 'provider', PROVIDER_CHOICES, 'cpu');
    // Compression flags are checked before the (possibly slow) graph build.
    const compress = args.values.has('method') || args.values.has('budget');
    const request = compress ? await readKvRequest(args, args.values.get('model')!) : undefined;
    const model = await loadModel(args.values.get('model')!, { provider });
    try {
      if (model.provider.fallbackReason) io.log(`provider: ${model.provider.fallbackReason}`);
      const promptIds = hasTokens ? intListFlag(args, 'tokens')! : templated(model, args);
      const options = generateOptions(args, model, io);
      const result = request
        ? await drain(generateCompressed(model.session, promptIds, { ...options, request }))
        : await generateAll(model.session, promptIds, options);
      const { stats } = result;
      const retention =
        'retention' in stats
          ? stats.retention
          : fullRetention(promptIds.length, model.session.dims);
      for (const w of retention.warnings) io.log(`warning: ${w}`);
      io.log(
        `prefill ${stats.promptTokens} tokens at ${stats.prefillTokensPerSecond.toFixed(1)} tok/s; decode ${stats.newTokens} tokens at ${stats.decodeTokensPerSecond.toFixed(1)} tok/s`,
      );
      const report = model.provider;
      return {
        json: {
          tokens: result.tokens,
          text: result.text,
          provider: report.provider,
          stats: {
            ...stats,
            retention,
            providerRequested: report.requested,
            ...(report.fallbackReason ? { providerFallbackReason: report.fallbackReason } : {}),
          },
        },
        text: result.text,
      };
    } finally {
      await model.dispose();
    }
  },
};

function templated(model: LoadedModel, args: ParsedArgs): number[] {
  const text = model.tokenizer.applyChatTemplate(
    [{ role: 'user', content: args.values.get('prompt')! }],
    { addGenerationPrompt: true },
  );
  return model.tokenizer.encode(text);
}

/** Everything `generate` passes to the engine besides the prompt. */
function generateOptions(args: ParsedArgs, model: LoadedModel, io: CliIo): GenerateOptions {
  const fallbackMax = model.generation.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS;
  let lastLog = 0;
  return {
    maxNewTokens: intFlag(args, 'max-new-tokens', fallbackMax, 1, 1_000_000),
    chunkSize: intFlag(args, 'chunk-size', 256, 1, 1_000_000),
    sampling: sampling(args, model),
    eosIds: model.tokenizer.eosTokenIds,
    text: model.tokenizer.createStreamDecoder(),
    signal: io.signal,
    onProgress: (p) => {
      // One line per second at most, and the last one, so long prompts show they are moving.
      if (p.done < p.total && p.elapsedMs - lastLog < 1000) return;
      lastLog = p.elapsedMs;
      io.log(`prefill ${p.done}/${p.total} tokens, ${(p.etaMs / 1000).toFixed(1)} s left`);
    },
  };
}

function sampling(args: ParsedArgs, model: LoadedModel): SamplingOptions {
  const seed = intFlag(args, 'seed', 0);
  const explicit = ['temperature', 'top-p', 'top-k'].filter((f) => args.values.has(f));
  if (args.booleans.has('greedy')) {
    if (explicit.length > 0) {
      throw new KvLensError('usage', `--greedy cannot be combined with --${explicit[0]}.`);
    }
    return { kind: 'greedy' };
  }
  const defaults = model.generation.sampling;
  if (explicit.length === 0) return defaults.kind === 'sample' ? { ...defaults, seed } : defaults;
  const base = defaults.kind === 'sample' ? defaults : { temperature: 1, topP: 1, topK: 0 };
  return {
    kind: 'sample',
    temperature: numberFlag(args, 'temperature', base.temperature),
    topP: numberFlag(args, 'top-p', base.topP ?? 1),
    topK: intFlag(args, 'top-k', base.topK ?? 0, 0),
    seed,
  };
}
