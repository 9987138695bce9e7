import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { openCheckpoint } from '../../../native-models/checkpoint/open-checkpoint';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import type { GenerationStats } from '../../engine/generation/generate';
import { referenceGreedy, relativeError } from '../../engine/runtime/test-model';
import { ModelTokenizer } from '../../engine/tokenizer/model-tokenizer';
import { cliJson, runCli, type CliRun } from '../testing/run-cli';

interface GenerateJson {
  tokens: number[];
  text: string;
  provider: string;
  stats: GenerationStats & { providerRequested: string; providerFallbackReason?: string };
}

let root: string;
let modelDir: string;
const prompt = [7, 300, 12, 45, 210, 3];

/** The CLI with its own graph cache. */
function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cacheDir: join(root, 'cache') });
}

describe('CLI: logits and generate', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kv-lens-cli-engine-'));
    modelDir = join(root, 'model');
    makeCheckpoint({ family: 'mistral', outDir: modelDir, seed: 4 });
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('logits prints the last-position logits, equal to the reference', async () => {
    const run = await cli('logits', '--model', modelDir, '--tokens', prompt.join(','), '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/building graph/);
    const { logits } = cliJson<{ logits: number[] }>(run);
    const ckpt = openCheckpoint(modelDir);
    const ref = referenceForwardWithCache(ckpt, prompt);
    ckpt.dispose();
    expect(logits.length).toBe(ref.logits.length);
    expect(relativeError(logits, ref.logits)).toBeLessThan(1e-4);
  });

  it('generate --tokens decodes greedily like the reference, stopping at eos', async () => {
    const run = await cli(
      'generate',
      '--model',
      modelDir,
      '--tokens',
      prompt.join(','),
      '--max-new-tokens',
      '8',
      '--greedy',
      '--json',
    );
    expect(run.code).toBe(0);
    const out = cliJson<GenerateJson>(run);
    const ckpt = openCheckpoint(modelDir);
    const ref = referenceForwardWithCache(ckpt, prompt);
    const want = referenceGreedy(ckpt, ref.logits, ref.cache, 8).tokens;
    ckpt.dispose();
    const tokenizer = ModelTokenizer.load(modelDir);
    const eos = want.findIndex((t) => tokenizer.eosTokenIds.includes(t));
    expect(out.tokens).toEqual(eos >= 0 ? want.slice(0, eos + 1) : want);
    expect(out.provider).toBe('cpu');
    expect(out.text).toBe(tokenizer.decode(out.tokens));
    expect(out.stats.promptTokens).toBe(prompt.length);
    expect(out.stats.newTokens).toBe(out.tokens.length);
    expect(out.stats.kvBytes).toBeGreaterThan(0);
    expect(out.stats.prefillTokensPerSecond).toBeGreaterThan(0);
  });

  it('generate --prompt applies the chat template; --provider webgpu reports its fallback', async () => {
    const run = await cli(
      'generate',
      '--model',
      modelDir,
      '--prompt',
      'What is in the document?',
      '--max-new-tokens',
      '3',
      '--temperature',
      '0.7',
      '--seed',
      '5',
      '--provider',
      'webgpu',
      '--json',
    );
    expect(run.code).toBe(0);
    const out = cliJson<GenerateJson>(run);
    const tokenizer = ModelTokenizer.load(modelDir);
    const templated = tokenizer.encode(
      tokenizer.applyChatTemplate([{ role: 'user', content: 'What is in the document?' }], {
        addGenerationPrompt: true,
      }),
    );
    expect(out.stats.promptTokens).toBe(templated.length);
    expect(out.tokens.length).toBeGreaterThan(0);
    expect(out.tokens.length).toBeLessThanOrEqual(3);
    expect(out.stats.providerRequested).toBe('webgpu');
    if (out.provider === 'cpu') expect(out.stats.providerFallbackReason).toMatch(/^webgpu: /);
  });

  it('usage errors exit 2 and failures exit 1, each with one JSON error object', async () => {
    const [noPrompt, badFlag, missing, badToken] = await Promise.all([
      cli('generate', '--model', modelDir, '--json'),
      cli('logits', '--model', modelDir, '--tokens', '1', '--bogus', '--json'),
      cli('logits', '--model', join(root, 'nope'), '--tokens', '1', '--json'),
      cli('logits', '--model', modelDir, '--tokens', '1,999999', '--json'),
    ]);
    expect(noPrompt.code).toBe(2);
    expect(cliJson(noPrompt)).toEqual({
      error: { code: 'usage', message: 'Give exactly one of --tokens IDS or --prompt TEXT.' },
    });
    expect(badFlag.code).toBe(2);
    expect(missing.code).toBe(1);
    expect((cliJson(missing).error as { code: string }).code).toBe('not-found');
    expect(badToken.code).toBe(1);
    expect((cliJson(badToken).error as { message: string }).message).toMatch(
      /outside the vocabulary/,
    );
  });
});
