/**
 * `ask` in a separate process, as scripts run it, on the bundled demo model (greedy decoding, so
 * its replies are fixed) and small documents written here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedPdf } from '../../documents/testing/corpus';
import { cliJson, runCli } from '../testing/run-cli';
import { duration } from './ask';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-cli-ask-'));
const cacheDir = join(dir, 'graph-cache');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILLER =
  'The market and the meadow were crossed by the night watch, who found both distant. ' +
  'Nobody remembers exactly when the workshop was first visited, but farmers still talk about it. ';

interface AskJson {
  document: { name: string; kind: string; pages: number };
  model: { name: string; calibration: string };
  method: string;
  budget: number;
  answers: {
    question: string;
    reply: string;
    conversationId: string;
    stats: { promptTokens: number; keptTokens: number; fullTokens: number };
    passage?: { tokens: string[]; budgets: number[]; layers: string[][] };
  }[];
}

async function ask(...args: string[]) {
  return runCli(['ask', ...args], { cacheDir, timeoutMs: 120_000 });
}

beforeAll(async () => {
  writeFileSync(
    join(dir, 'vault.txt'),
    `Harbour notes\n\n${FILLER}The access code for the north vault is 4817-KQ. ${FILLER}` +
      `The depot in Eldwick holds 46 crates of candles. ${FILLER}`,
  );
  writeFileSync(
    join(dir, 'long.txt'),
    `${FILLER.repeat(12)}The access code for the north vault is 4817-KQ. ${FILLER.repeat(12)}`,
  );
  writeFileSync(join(dir, 'locked.pdf'), await encryptedPdf('pw'));
});

describe('ask command', () => {
  it("answers from the document at the app's default setting; later questions join the conversation", async () => {
    const run = await ask(
      join(dir, 'vault.txt'),
      'What is the access code for the north vault?',
      'How many crates of candles does the depot in Eldwick hold?',
      '--provider',
      'cpu',
      '--json',
    );
    expect(run.code).toBe(0);
    const json = cliJson<AskJson>(run);
    expect(json.document).toMatchObject({ name: 'vault.txt', kind: 'text', pages: 1 });
    expect(json.model.calibration).toBe('calibrated');
    expect([json.method, json.budget]).toEqual(['compresskv', 256]);
    expect(json.answers.map((a) => a.reply)).toEqual([
      expect.stringContaining('4817-KQ'),
      expect.stringContaining('46'),
    ]);
    expect(json.answers[1]!.conversationId).toBe(json.answers[0]!.conversationId);
    // The full cache is every prompt token in each of the 4 layers; CompressKV's per-layer
    // budgets may still evict in a layer whose error-aware share is below the prompt length.
    const s = json.answers[0]!.stats;
    expect(s.fullTokens).toBe(s.promptTokens * 4);
    expect(s.keptTokens).toBeLessThanOrEqual(s.fullTokens);
  });

  it('compresses to --budget, asks --separate questions in new conversations, and prints text', async () => {
    const common = [
      join(dir, 'long.txt'),
      'What is the access code for the north vault?',
      'Which code opens the north vault?',
      '--budget',
      '64',
      '--separate',
      '--provider',
      'cpu',
    ];
    const run = await ask(...common, '--method', 'snapkv');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Q: What is the access code for the north vault\?\nA: .*4817-KQ/);
    expect(run.stdout).toMatch(/\n\nQ: Which code opens the north vault\?\nA: /);
    expect(run.stdout).toMatch(/prompt tokens, kept [\d,]+ of [\d,]+ KV entries/);
    const json = cliJson<AskJson>(await ask(...common, '--json'));
    const [a, b] = json.answers;
    expect(a!.conversationId).not.toBe(b!.conversationId);
    expect(a!.stats.promptTokens).toBeGreaterThan(400);
    // 64 per layer plus the question (kept whole), far below the full cache.
    expect(a!.stats.keptTokens).toBeLessThan(a!.stats.fullTokens / 2);
    expect(a!.stats.keptTokens).toBeGreaterThanOrEqual(64 * 4);
  });

  it('--passage shows which tokens of a passage each layer kept: all with the full cache, fewer at 32', async () => {
    const passage = 'The access code for the north vault is 4817-KQ.';
    const common = [
      join(dir, 'long.txt'),
      'Which code opens the north vault?',
      '--passage',
      passage,
    ];
    const runs = [];
    for (const method of ['full', 'streamingllm']) {
      const run = await ask(
        ...common,
        '--method',
        method,
        '--budget',
        '32',
        '--provider',
        'cpu',
        '--json',
      );
      expect(run.code).toBe(0);
      runs.push(cliJson<AskJson>(run).answers[0]!.passage!);
    }
    const [full, streaming] = runs;
    expect(full!.tokens.join('')).toContain(passage);
    expect(full!.layers).toHaveLength(4);
    for (const sets of full!.layers) expect(sets).toEqual(['#'.repeat(full!.tokens.length)]);
    // StreamingLLM at 32 keeps the first 4 tokens and the most recent ones: the passage sits
    // mid-document, so nothing of it is left in any layer.
    expect(streaming!.tokens).toEqual(full!.tokens);
    for (const sets of streaming!.layers) {
      for (const marks of sets) expect(marks).toBe('.'.repeat(full!.tokens.length));
    }
    const text = await ask(...common, '--method', 'full', '--provider', 'cpu');
    expect(text.stdout).toMatch(/passage tokens: " The" " access" .* "K" "Q" "\."\n/);
    expect(text.stdout).toMatch(/\n {3}layer 3 \(\d+\) +#+\n/);
    const missing = await ask(...common.slice(0, 3), 'the quarry at dawn', '--json');
    expect(missing.code).toBe(2);
    expect(JSON.stringify(cliJson(missing))).toContain("is not in the document's text");
  });

  it('reports bad input clearly: usage errors exit 2, a missing or locked file exits 1', async () => {
    const noQuestion = await ask(join(dir, 'vault.txt'), '--json');
    expect(noQuestion.code).toBe(2);
    expect(cliJson(noQuestion)).toEqual({
      error: { code: 'usage', message: expect.stringContaining('at least one QUESTION') as string },
    });
    const badMethod = await ask(join(dir, 'vault.txt'), 'Why?', '--method', 'zip', '--json');
    expect(badMethod.code).toBe(2);
    expect(JSON.stringify(cliJson(badMethod))).toContain('--method must be one of');
    const lowBudget = await ask(join(dir, 'vault.txt'), 'Why?', '--budget', '8', '--json');
    expect(lowBudget.code).toBe(2);
    const missing = await ask(join(dir, 'nope.pdf'), 'Why?', '--json');
    expect(missing.code).toBe(1);
    expect(cliJson(missing)).toEqual({
      error: { code: 'not-found', message: expect.stringContaining('does not exist') as string },
    });
    const locked = await ask(join(dir, 'locked.pdf'), 'Why?', '--provider', 'cpu', '--json');
    expect(locked.code).toBe(1);
    expect(cliJson(locked)).toMatchObject({ error: { code: 'encrypted' } });
  });
});

describe('ask text output', () => {
  it('writes times under a second in ms and longer ones in seconds', () => {
    expect(duration(40.6)).toBe('41 ms');
    expect(duration(999.4)).toBe('999 ms');
    expect(duration(1349)).toBe('1.3 s');
  });
});
