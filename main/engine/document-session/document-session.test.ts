import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../app/errors';
import { KV_METHODS, type KvMethod } from '../../../app/kv/methods';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import { generateAll } from '../generation/generate';
import { selectKept } from '../kv/select-kept';
import { openTestModel, type TestModel } from '../runtime/test-model';
import { ModelTokenizer } from '../tokenizer/model-tokenizer';
import { drain } from '../generation/decode-loop';
import { DocumentSession, type DocumentModel } from './document-session';

const DOCUMENT =
  '  The lighthouse keeper on Gull Island logged every ship that passed. In March the ' +
  'supply boat brought oil, flour and a crate of books. The keeper liked the atlas best.\n' +
  'On the ninth of April a storm broke the north window and the lamp burned all night.';
const CHUNK = 64;
const greedy = { kind: 'greedy' } as const;
const runsFor = (n: number) => Math.ceil(n / CHUNK);

describe('DocumentSession on a tiny llama-family checkpoint', () => {
  let m: TestModel;
  let model: DocumentModel;
  let doc: DocumentSession;
  beforeAll(async () => {
    m = await openTestModel('llama', { numLayers: 3 }, 7);
    model = { session: m.session, tokenizer: ModelTokenizer.load(m.dir), spec: m.spec };
    doc = await DocumentSession.open(model, DOCUMENT, { chunkSize: CHUNK });
  });
  afterAll(async () => {
    doc?.dispose();
    await m?.dispose();
  });

  it('prefills the prefix once and only the question suffix (+ window tail) per question', async () => {
    const W = doc.policy.window;
    const P = doc.documentTokens;
    expect(P).toBeGreaterThan(100);
    const before = m.session.runCount;
    const questions = ['What did the supply boat bring?', 'When did the storm break the window?'];
    for (const q of questions) {
      const suffix = doc.prompt.encodeSuffix(q);
      const runs0 = m.session.runCount;
      const answer = await drain(
        doc.ask(q, { method: 'compresskv', budget: 40, maxNewTokens: 5, sampling: greedy }),
      );
      const N = W + suffix.length;
      const prefillRuns = runsFor(N - W) + runsFor(W);
      expect(m.session.runCount - runs0).toBe(prefillRuns + answer.stats.newTokens - 1);
      expect(answer.stats.prefilledTokens).toBe(N);
      expect(answer.stats.promptTokens).toBe(P + suffix.length);
      expect(answer.stats.questionTokens).toBe(suffix.length);
      // Budget 40 is below the prompt: every layer keeps 40 +- the error-aware shift.
      const r = answer.stats.retention;
      expect(r.budgets.reduce((a, b) => a + b, 0)).toBe(40 * 3);
      expect(r.tokensKept).toBe(r.keptPerLayer.reduce((a, b) => a + b, 0));
      expect(r.kvBytesFull).toBe((P + suffix.length) * 3 * 2 * 2 * 16 * 4);
      expect(r.kvBytesCompressed).toBe(r.tokensKept * 2 * 2 * 16 * 4);
      expect(r.warnings.join(' ')).toMatch(/calibration/);
    }
    // The prefix prefill happened in open(), before `before`: no prefix runs since then.
    expect(m.session.runCount - before).toBeGreaterThan(0);
    expect(doc.lastQuestion?.question).toBe(questions[1]);
  });

  it('window and accumulated scores equal the float64 reference over the whole prompt', async () => {
    const q = 'Which book did the keeper like?';
    await drain(doc.ask(q, { method: 'full', budget: 1, maxNewTokens: 1 }));
    const scores = doc.questionScores!;
    const ids = [...doc.prefixIds, ...doc.prompt.encodeSuffix(q)];
    const T = ids.length;
    expect(scores.T).toBe(T);
    const W = doc.policy.window;
    const rows = Array.from({ length: W }, (_, i) => T - W + i);
    const ref = referenceForwardWithCache(m.checkpoint, ids, { scoreRows: rows });
    let worstWindow = 0;
    let worstAcc = 0;
    scores.layers.forEach((layer, l) => {
      for (let h = 0; h < scores.H; h++) {
        const w = ref.attnScores[l]![h]!;
        const a = ref.attnScoresAll[l]![h]!;
        for (let j = 0; j < T; j++) {
          worstWindow = Math.max(worstWindow, Math.abs(layer.window[h * T + j]! - w[j]!));
          worstAcc = Math.max(worstAcc, Math.abs(layer.accumulated![h * T + j]! - a[j]!) / T);
        }
      }
    });
    expect(worstWindow).toBeLessThan(1e-4);
    expect(worstAcc).toBeLessThan(1e-5);
  });

  it('re-selection needs no forward pass and uses the stored scores', async () => {
    await drain(
      doc.ask('Who kept the lighthouse?', { method: 'snapkv', budget: 48, maxNewTokens: 2 }),
    );
    const runs = m.session.runCount;
    const scores = doc.questionScores!;
    for (const method of KV_METHODS) {
      for (const budget of [16, 33, 64, 90]) {
        const view = doc.reselect(method, budget);
        const expected = selectKept(
          method,
          scores,
          method === 'full' ? scores.T : budget,
          doc.policy,
        );
        expect(view.selection).toEqual(expected);
        expect(view.ms).toBeLessThan(200);
        for (let i = 0; i < view.heat.start.length; i++) {
          expect(view.heat.end[i]!).toBeLessThanOrEqual(DOCUMENT.length);
          expect(view.heat.heat[i]!).toBeLessThanOrEqual(1);
        }
      }
    }
    expect(m.session.runCount).toBe(runs);
    const small = doc.reselect('snapkv', 16).retention.totals.tokensKept;
    const large = doc.reselect('snapkv', 64).retention.totals.tokensKept;
    expect(small).toBeLessThan(large);
    expect(() => doc.reselect('snapkv', 16, { window: 4 })).toThrow(/window is fixed/);
  });

  it('with keepQuestion keeps every question token in every layer; without, only the window', async () => {
    const kept = await DocumentSession.open(model, DOCUMENT, {
      chunkSize: CHUNK,
      keepQuestion: true,
    });
    try {
      const q = 'Which month did the boat bring books?';
      const Q = kept.prompt.encodeSuffix(q).length;
      expect(Q).toBeGreaterThan(doc.policy.window);
      // Room for the question and 16 document tokens in each layer.
      const budget = Q + 16;
      const heldByAll = (s: DocumentSession, method: KvMethod): boolean[] => {
        const sel = s.reselect(method, budget).selection;
        const T = s.documentTokens + Q;
        return Array.from({ length: Q }, (_, i) =>
          sel.layers.every((layer) =>
            (layer.kind === 'shared' ? [layer.kept] : layer.kvHeads).every((k) =>
              k.includes(T - Q + i),
            ),
          ),
        );
      };
      const answer = await drain(
        kept.ask(q, { method: 'snapkv', budget, maxNewTokens: 3, sampling: greedy }),
      );
      // The budget counts the question: `budget` entries per layer (KV head), question included.
      expect(answer.stats.retention.keptPerLayer).toEqual([budget, budget, budget]);
      await drain(doc.ask(q, { method: 'snapkv', budget, maxNewTokens: 1, sampling: greedy }));
      for (const method of ['snapkv', 'compresskv', 'h2o'] as const) {
        expect(heldByAll(kept, method).every(Boolean)).toBe(true);
        const plainKept = heldByAll(doc, method);
        expect(plainKept.slice(Q - doc.policy.window).every(Boolean)).toBe(true);
        expect(plainKept.every(Boolean)).toBe(false);
      }
    } finally {
      kept.dispose();
    }
  });

  it('maps retention onto document characters', () => {
    // Full: every document character is held by every layer -> one run of heat 1.
    const full = doc.reselect('full', 1).heat;
    expect(Array.from(full.start)).toEqual([2]);
    expect(Array.from(full.end)).toEqual([DOCUMENT.trimEnd().length]);
    expect(Array.from(full.heat)).toEqual([1]);
    // StreamingLLM keeps template sinks and question tokens only: the document is all cold.
    const cold = doc.reselect('streamingllm', 12).heat;
    expect(Math.max(...cold.heat)).toBe(0);
    // A document token's heat is the layers that kept it over L, here checked token by token.
    const view = doc.reselect('h2o', 40);
    const { start, end, firstToken, endToken } = doc.spans;
    const L = view.retention.layerCount;
    for (let t = firstToken; t < endToken; t++) {
      const i = view.heat.start.findIndex(
        (s, k) => s <= start[t]! && start[t]! < view.heat.end[k]!,
      );
      expect(i).toBeGreaterThanOrEqual(0);
      expect(view.heat.heat[i]).toBeCloseTo(view.retention.tokenLayerWeight[t]! / L, 6);
      expect(end[t]!).toBeGreaterThan(start[t]!);
    }
  });

  it('regenerate decodes from the stored cache without prefilling the question again', async () => {
    const first = await drain(
      doc.ask('What broke in April?', { method: 'h2o', budget: 40, maxNewTokens: 6 }),
    );
    const runs = m.session.runCount;
    const again = await drain(doc.regenerate('h2o', 40, { maxNewTokens: 6 }));
    expect(m.session.runCount - runs).toBe(again.stats.newTokens - 1);
    expect(again.stats.prefilledTokens).toBe(0);
    expect(again.tokens).toEqual(first.tokens);
    const other = await drain(doc.regenerate('streamingllm', 20, { maxNewTokens: 6 }));
    expect(other.stats.retention.keptPerLayer).toEqual([20, 20, 20]);
    expect(m.session.runCount - runs).toBe(again.stats.newTokens + other.stats.newTokens - 2);
  });

  it('a budget >= the prompt length changes no generated token, for every method', async () => {
    const q = 'What did the keeper log?';
    const full = await drain(doc.ask(q, { method: 'full', budget: 1, maxNewTokens: 8 }));
    const T = full.stats.promptTokens;
    for (const method of KV_METHODS) {
      const a = await drain(doc.regenerate(method as KvMethod, T + 5, { maxNewTokens: 8 }));
      expect(a.tokens, method).toEqual(full.tokens);
      expect(a.stats.retention.tokensKept).toBe(T * 3);
    }
    // And the session's full answer equals a one-shot generation over the same prompt ids.
    const ids = [...doc.prefixIds, ...doc.prompt.encodeSuffix(q)];
    const plain = await generateAll(m.session, ids, { maxNewTokens: 8, sampling: greedy });
    expect(full.tokens).toEqual(plain.tokens);
  });

  it('a prompt shorter than the window is scored whole on every question', async () => {
    const runs = m.session.runCount;
    const tiny = await DocumentSession.open(model, 'Hi.', { policy: { window: 200 } });
    try {
      expect(m.session.runCount).toBe(runs);
      const q = 'Who?';
      const answer = await drain(tiny.ask(q, { method: 'h2o', budget: 4, maxNewTokens: 4 }));
      const ids = [...tiny.prefixIds, ...tiny.prompt.encodeSuffix(q)];
      expect(answer.stats.prefilledTokens).toBe(ids.length);
      expect(answer.stats.retention.keptPerLayer).toEqual([4, 4, 4]);
      const ref = referenceForwardWithCache(m.checkpoint, ids, {
        scoreRows: ids.map((_, i) => i),
      });
      const scores = tiny.questionScores!;
      const T = ids.length;
      for (let h = 0; h < scores.H; h++) {
        for (let j = 0; j < T; j++) {
          expect(scores.layers[2]!.window[h * T + j]).toBeCloseTo(ref.attnScores[2]![h]![j]!, 4);
        }
      }
    } finally {
      tiny.dispose();
    }
  });

  it('spills the prefix cache to disk and answers the same from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-lens-doc-spill-'));
    const other = await DocumentSession.open(model, DOCUMENT, { chunkSize: CHUNK });
    try {
      const q = 'What did the keeper like best?';
      const ask = () => drain(other.ask(q, { method: 'pyramidkv', budget: 36, maxNewTokens: 6 }));
      const before = await ask();
      other.spill(dir);
      expect(other.spilled).toBe(true);
      expect(readdirSync(dir).length).toBe(1);
      expect(() => other.reselect('snapkv', 36)).toThrow(/ask one/);
      const runs = m.session.runCount;
      const after = await ask();
      expect(m.session.runCount - runs).toBe(before.stats.newTokens - 1 + 2);
      expect(after.tokens).toEqual(before.tokens);
      expect(after.selection.selection).toEqual(before.selection.selection);
    } finally {
      other.dispose();
    }
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancels, and checks the context window before any prefill', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      drain(doc.ask('Anything?', { method: 'snapkv', budget: 32, signal: ac.signal })),
    ).rejects.toBeInstanceOf(CancelledError);
    await expect(DocumentSession.open(model, DOCUMENT, { signal: ac.signal })).rejects.toThrow(
      /cancelled/,
    );
    const runs = m.session.runCount;
    await expect(
      DocumentSession.open(model, DOCUMENT, { maxNewTokens: 5000 }),
    ).rejects.toMatchObject({ code: 'context-overflow' });
    await expect(
      drain(doc.ask('Anything?', { method: 'snapkv', budget: 32, maxNewTokens: 5000 })),
    ).rejects.toMatchObject({ code: 'context-overflow' });
    expect(m.session.runCount).toBe(runs);
  });
});
