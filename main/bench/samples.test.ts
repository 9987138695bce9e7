import { describe, expect, it } from 'vitest';
import { KvLensError } from '../../app/errors';
import { DEMO_MODEL_DIR, SAMPLES_DIR } from '../app-service/app-paths';
import { STORED_SETTINGS_DEFAULTS } from '../store/repositories/settings-rules';
import { DEFAULT_SAMPLES_MAX_NEW_TOKENS, parseSamplesArgs, pickDocs } from './samples-args';
import { listSamples, parseSample } from './samples-meta';
import type { DocumentResult } from './samples-run';
import {
  answerSpeed,
  benchSettings,
  scoreReply,
  tally,
  type AnswerResult,
  type QuestionResult,
} from './samples-score';
import { clip, documentTable, formatTable, totalsTable } from './samples-table';
import { documentPrefillLabel, documentTiming, type TimedProgress } from './samples-timing';

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(KvLensError);
    expect((err as KvLensError).code).toBe('usage');
    return (err as KvLensError).message;
  }
  throw new Error('expected a usage error');
}

function answer(text: string, expected: string, extra: Partial<AnswerResult> = {}): AnswerResult {
  return {
    text,
    ...scoreReply(expected, `It is ${expected}.`, text),
    generatedTokens: 10,
    promptTokens: 100,
    keptTokens: 50,
    timeToFirstTokenMs: 20,
    prefillTokensPerSecond: 1000,
    decodeTokensPerSecond: 100,
    wallMs: 30,
    prefilledDocument: false,
    provider: 'cpu',
    ...extra,
  };
}

function question(expected: string, compressed: string, full: string): QuestionResult {
  return {
    question: `Q about ${expected}?`,
    answer: expected,
    reply: `It is ${expected}.`,
    kind: 'code',
    page: 1,
    answers: { compressed: answer(compressed, expected), full: answer(full, expected) },
  };
}

describe('samples bench arguments', () => {
  it("defaults to the app's stored default method and budget, the demo model and every sample", () => {
    const o = parseSamplesArgs([]);
    expect(o).toEqual({
      method: STORED_SETTINGS_DEFAULTS.defaultMethod,
      budget: STORED_SETTINGS_DEFAULTS.defaultBudget,
      maxNewTokens: DEFAULT_SAMPLES_MAX_NEW_TOKENS,
      modelDir: DEMO_MODEL_DIR,
      docs: null,
      dir: SAMPLES_DIR,
      resultsFile: 'samples.json',
    });
    expect([o.method, o.budget]).toEqual(['compresskv', 256]);
  });

  it('reads every flag; --docs drops extensions and repeats', () => {
    const o = parseSamplesArgs([
      '--method',
      'snapkv',
      '--budget=512',
      '--max-new-tokens',
      '8',
      '--model',
      'some/dir',
      '--docs',
      'b.pdf, a ,b',
    ]);
    expect(o.method).toBe('snapkv');
    expect(o.budget).toBe(512);
    expect(o.maxNewTokens).toBe(8);
    expect(o.modelDir).toMatch(/^\/.*some\/dir$/);
    expect(o.docs).toEqual(['b', 'a']);
    expect(o.dir).toBe(SAMPLES_DIR);
  });

  it('--dir reads another folder and names the results file after it', () => {
    const o = parseSamplesArgs(['--dir', 'some/held out']);
    expect(o.dir).toMatch(/^\/.*some\/held out$/);
    expect(o.resultsFile).toBe('samples-held-out.json');
    expect(usageError(() => parseSamplesArgs(['--dir', '/']))).toMatch(/--dir/);
  });

  it('rejects bad values with usage errors that say what is allowed', () => {
    expect(usageError(() => parseSamplesArgs(['--budget', '8']))).toMatch(/--budget.*\[32,/);
    expect(usageError(() => parseSamplesArgs(['--method', 'srh-only']))).toMatch(/compresskv/);
    expect(usageError(() => parseSamplesArgs(['--max-new-tokens', '0']))).toMatch(/max-new/);
    expect(usageError(() => parseSamplesArgs(['--docs', ' , ']))).toMatch(/--docs/);
    expect(usageError(() => parseSamplesArgs(['harbour']))).toMatch(/Usage: npm run bench/);
    expect(usageError(() => parseSamplesArgs(['--quick']))).toMatch(/Unknown flag --quick/);
  });

  it('picks samples in the order asked and names the known ones on a typo', () => {
    const docs = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    expect(pickDocs(docs, null).map((d) => d.name)).toEqual(['a', 'b', 'c']);
    expect(pickDocs(docs, ['c', 'a']).map((d) => d.name)).toEqual(['c', 'a']);
    expect(usageError(() => pickDocs(docs, ['a', 'x']))).toBe(
      '--docs: no sample named "x". Samples: a, b, c.',
    );
  });
});

describe('sample descriptions', () => {
  it('reads the shipped samples: each document exists and has questions with answers', () => {
    const samples = listSamples(SAMPLES_DIR);
    expect(samples.map((s) => s.name)).toContain('harbour-authority-report');
    for (const s of samples) {
      expect(s.path.endsWith('.pdf')).toBe(true);
      expect(s.questions.length).toBeGreaterThan(0);
      for (const q of s.questions) expect(q.reply).toContain(q.answer);
    }
  });

  it('rejects a question without its answer, naming where', () => {
    const raw = {
      document: 'x.pdf',
      title: 'X',
      pages: 2,
      tokens: 100,
      questions: [
        { question: 'A?', answer: 'a', reply: 'It is a.', kind: 'k', page: 1 },
        { question: 'B?', reply: 'It is b.', kind: 'k', page: 2 },
      ],
    };
    expect(() => parseSample(raw, 'x.json')).toThrow('x.json questions[1]: "answer" must be');
    expect(() => parseSample({ ...raw, questions: [] }, 'x.json')).toThrow(/non-empty list/);
    expect(parseSample({ ...raw, questions: raw.questions.slice(0, 1) }, 'x.json')).toMatchObject({
      document: 'x.pdf',
      pages: 2,
      questions: [{ answer: 'a', page: 1 }],
    });
  });
});

describe('scoring', () => {
  it('counts a reply right when it holds the answer verbatim', () => {
    const score = (expected: string, reply: string) =>
      scoreReply(expected, 'The access code for the grey tower is KRY708.', reply);
    expect(score('KRY708', 'The access code for the grey tower is KRY708.')).toEqual({
      right: true,
      whole: true,
      rouge1: 1,
    });
    expect(score('PQ-6572', 'It is pq 6572')).toEqual({ right: false, whole: false, rouge1: 1 });
    expect(score('9162-RK', 'The code is 9162-RK-RK-RK.')).toEqual({
      right: false,
      whole: false,
      rouge1: 1,
    });
    expect(score('KRY708', 'The code is KRY-708.')).toEqual({
      right: false,
      whole: false,
      rouge1: 0,
    });
    expect(score('Quentin Pemberton', 'Pemberton, Quentin')).toEqual({
      right: false,
      whole: false,
      rouge1: 1,
    });
    expect(score('24 April 1913', 'on 24 May 1913')).toEqual({
      right: false,
      whole: false,
      rouge1: 2 / 3,
    });
  });

  it('counts a reply whole only when it is the expected reply (a right value under a wrong name is not)', () => {
    const expected = 'The home town of Ezra Calloway is Varden.';
    expect(scoreReply('Varden', expected, ' The home town of Ezra  Calloway\nis Varden. ')).toEqual(
      {
        right: true,
        whole: true,
        rouge1: 1,
      },
    );
    expect(scoreReply('Varden', expected, 'The home town of Rosa Calloway is Varden.')).toEqual({
      right: true,
      whole: false,
      rouge1: 1,
    });
    expect(scoreReply('Varden', expected, 'The home town of Ezra Calloway is Varden')).toEqual({
      right: true,
      whole: false,
      rouge1: 1,
    });
  });

  it('tallies right / asked, whole replies and mean ROUGE-1 per setting', () => {
    const qs = [
      question('KRY708', 'It is KRY708.', 'It is KRY708.'),
      question('Ronja Strand', 'Ronja Whitley', 'Ronja Strand'),
      question('60', 'sixty', 'It holds 60 cartons'),
    ];
    expect(tally(qs, 'compressed')).toEqual({ asked: 3, right: 1, whole: 1, rouge1Mean: 0.5 });
    expect(tally(qs, 'full')).toEqual({ asked: 3, right: 3, whole: 1, rouge1Mean: 1 });
    expect(tally([], 'full')).toEqual({ asked: 0, right: 0, whole: 0, rouge1Mean: 0 });
  });

  it("leaves the document's first answer out of the mean time to first token", () => {
    const qs = [question('a', 'a', 'a'), question('b', 'b', 'b')];
    qs[0]!.answers.compressed = answer('a', 'a', {
      prefilledDocument: true,
      timeToFirstTokenMs: 5000,
      decodeTokensPerSecond: 300,
    });
    expect(answerSpeed(qs, 'compressed')).toEqual({
      timeToFirstTokenMs: 20,
      decodeTokensPerSecond: 200,
    });
  });
});

describe('document timing from progress events', () => {
  const label = documentPrefillLabel('report.pdf');
  const ev = (at: number, l: string, done = 0, total = 0): TimedProgress => ({
    at,
    label: l,
    done,
    total,
  });

  it('times the model load and the document prefill', () => {
    const events = [
      ev(100, 'Answering'),
      ev(150, 'Preparing the model: hashing'),
      ev(400, label),
      ev(900, label, 256, 1000),
      ev(1400, label, 1000, 1000),
      ev(1500, 'Reading the question', 40, 40),
      ev(1600, 'Writing the answer', 1, 32),
    ];
    expect(documentTiming(events, 'report.pdf', 100)).toEqual({
      loadMs: 300,
      prefillMs: 1000,
      prefillTokens: 1000,
      prefillTokensPerSecond: 1000,
    });
  });

  it('gives nulls when the events do not show a prefill', () => {
    expect(documentTiming([ev(10, 'Answering')], 'report.pdf', 0)).toEqual({
      loadMs: null,
      prefillMs: null,
      prefillTokens: null,
      prefillTokensPerSecond: null,
    });
    expect(documentTiming([ev(10, label)], 'report.pdf', 0).loadMs).toBe(10);
  });
});

describe('tables', () => {
  it('aligns columns, figures to the right', () => {
    expect(
      formatTable(
        ['name', 'n'],
        [
          ['ab', '5'],
          ['c', '10'],
        ],
        new Set([1]),
      ),
    ).toEqual(['name   n', '----  --', 'ab     5', 'c     10']);
  });

  it('clips replies to one quoted line', () => {
    expect(clip('a\n b   c', 20)).toBe('"a b c"');
    expect(clip('abcdefghij', 8)).toBe('"abcde..."');
  });

  const settings = benchSettings('compresskv', 256);
  const doc = {
    name: 'report',
    questions: [
      question('KRY708', 'It is KRY708.', 'nothing'),
      question('60', 'no', 'It holds 60'),
    ],
  } as unknown as DocumentResult;

  it('shows each question at both settings with its result', () => {
    const lines = documentTable(doc, settings);
    expect(lines).toHaveLength(2 + 4);
    expect(lines[2]).toMatch(/^1 +code +KRY708 +compresskv @ 256 +right +1\.00 +"It is KRY708\."$/);
    expect(lines[3]).toMatch(/^ +full cache +wrong +0\.00 +"nothing"$/);
    expect(lines[5]).toMatch(/full cache +right +1\.00 +"It holds 60"$/);
  });

  it('sums right / asked over the documents', () => {
    const lines = totalsTable([doc, { ...doc, name: 'other' }], settings);
    expect(lines[0]).toMatch(/compresskv @ 256 right +whole .*full cache right +whole/);
    expect(lines.at(-1)).toMatch(/^total +4 +2\/4 +2 +0\.50 +2\/4 +0 +0\.50$/);
  });
});
