import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_FAMILIES } from '../../../app/model/model-spec';
import { referenceForwardWithCache } from '../../../native-models/reference/reference-forward';
import { generateAll } from '../generation/generate';
import { prefill } from '../generation/prefill';
import { openTestModel, referenceGreedy, relativeError, type TestModel } from './test-model';

const prompt = [5, 17, 300, 42, 7, 99, 128, 3, 250, 11, 64];

describe.each(SUPPORTED_FAMILIES.map((f) => [f]))(
  'ONNX engine vs float64 reference: %s',
  (family) => {
    let m: TestModel;
    beforeAll(async () => {
      m = await openTestModel(family);
    });
    afterAll(async () => {
      await m?.dispose();
    });

    it('discovers layers, KV heads and head size from the session', () => {
      expect(m.session.dims).toEqual({
        numLayers: m.spec.numLayers,
        numKvHeads: m.spec.numKvHeads,
        headDim: m.spec.headDim,
      });
      expect(m.session.numHeads).toBe(m.spec.numHeads);
    });

    it('last-position logits match within 1e-4 of the largest logit', async () => {
      const cache = m.session.emptyCache();
      const before = m.session.runCount;
      const out = await prefill(m.session, cache, prompt);
      expect(m.session.runCount).toBe(before + 1);
      expect(out.logits.length).toBe(m.spec.vocabSize);
      const ref = referenceForwardWithCache(m.checkpoint, prompt);
      expect(relativeError(out.logits, ref.logits)).toBeLessThan(1e-4);
      expect(cache.lengths()).toEqual(new Array(m.spec.numLayers).fill(prompt.length));
      expect(cache.nextPosition).toBe(prompt.length);
      cache.dispose();
    });

    it('greedy decoding gives the reference tokens for 8 steps', async () => {
      const ref = referenceForwardWithCache(m.checkpoint, prompt);
      const want = referenceGreedy(m.checkpoint, ref.logits, ref.cache, 8).tokens;
      const got = await generateAll(m.session, prompt, {
        maxNewTokens: 8,
        sampling: { kind: 'greedy' },
      });
      expect(got.tokens).toEqual(want);
    });

    it('window scores accumulated over chunks equal the one-shot reference scores', async () => {
      const W = 6;
      const cache = m.session.emptyCache();
      // Chunks of 4 over 11 tokens: the window (rows 5..10) straddles chunks 2 and 3.
      const out = await prefill(m.session, cache, prompt, {
        chunkSize: 4,
        window: W,
        scoresAll: true,
      });
      cache.dispose();
      const T = prompt.length;
      const rows = Array.from({ length: W }, (_, i) => T - W + i);
      const ref = referenceForwardWithCache(m.checkpoint, prompt, { scoreRows: rows });
      const s = out.scores!;
      expect(s.T).toBe(T);
      expect(s.H).toBe(m.spec.numHeads);
      for (let l = 0; l < m.spec.numLayers; l++) {
        const want = ref.attnScores[l]!.flatMap((row) => Array.from(row));
        const got = Array.from(s.layers[l]!.window);
        expect(got.length).toBe(want.length);
        got.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-4));
        // Each window row is a softmax: every head's scores sum to W.
        expect(got.slice(0, T).reduce((a, b) => a + b, 0)).toBeCloseTo(W, 3);
        // H2O's all-rows sums (attn_scores_all.{l}, mapped from capacity columns as chunks
        // run on the buffer prefill reserved for the whole prompt).
        expect(m.session.hasScoresAll).toBe(true);
        const all = ref.attnScoresAll[l]!.flatMap((row) => Array.from(row));
        expect(relativeError(s.layers[l]!.accumulated ?? [], all)).toBeLessThan(1e-4);
      }
    });
  },
);
