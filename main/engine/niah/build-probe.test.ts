import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { ModelTokenizer } from '../tokenizer/model-tokenizer';
import { buildProbe, twinDepth } from './build-probe';
import { generatedHaystack } from './haystack';
import { generateNeedle } from './needles';

let root: string;
let tok: ModelTokenizer;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kv-lens-probe-'));
  makeCheckpoint({ family: 'qwen2', outDir: join(root, 'm'), seed: 1 });
  tok = ModelTokenizer.load(join(root, 'm'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('buildProbe', () => {
  it('hits the target length within a few tokens and never exceeds it', () => {
    for (const length of [150, 300, 700]) {
      for (const depth of [0, 0.5, 1]) {
        const p = buildProbe(tok, generatedHaystack(1), {
          needle: generateNeedle(3),
          length,
          depth,
        });
        expect(p.promptIds.length).toBeLessThanOrEqual(length);
        expect(p.promptIds.length).toBeGreaterThanOrEqual(length - 1);
      }
    }
  });

  it('locates the answer tokens, and depth moves the needle through the prompt', () => {
    const needle = generateNeedle(5, 'code');
    const at = (depth: number) =>
      buildProbe(tok, generatedHaystack(2), { needle, length: 600, depth });
    for (const depth of [0, 0.5, 1]) {
      const p = at(depth);
      const text = tok.decode(p.answerPositions.map((i) => p.promptIds[i]!));
      expect(text.trim()).toBe(needle.answer);
      // The needle's tokens contain the answer's.
      expect(p.answerPositions.every((i) => p.needlePositions.includes(i))).toBe(true);
      expect(tok.decode(p.needlePositions.map((i) => p.promptIds[i]!)).trim()).toBe(needle.needle);
    }
    const [a, b, c] = [at(0), at(0.5), at(1)].map((p) => p.answerPositions[0]!);
    expect(a).toBeLessThan(60);
    expect(b).toBeGreaterThan(200);
    expect(b).toBeLessThan(400);
    expect(c).toBeGreaterThan(500);
  });

  it('ends with the question and the assistant header, and is deterministic', () => {
    const needle = generateNeedle(8, 'name');
    const p = buildProbe(tok, generatedHaystack(3), { needle, length: 250, depth: 0.25 });
    const text = tok.decode(p.promptIds, { skipSpecialTokens: false });
    expect(text).toContain(`${needle.question}<|im_end|>`);
    expect(text.endsWith('<|im_start|>assistant\n')).toBe(true);
    // questionTokens counts the question suffix: the question is in it and not before it.
    const cut = p.promptIds.length - p.questionTokens;
    const suffix = tok.decode(p.promptIds.slice(cut), { skipSpecialTokens: false });
    expect(suffix).toContain(`${needle.question}<|im_end|>`);
    expect(tok.decode(p.promptIds.slice(0, cut))).not.toContain(needle.question);
    expect(suffix.startsWith(needle.question.trimStart())).toBe(true);
    expect(buildProbe(tok, generatedHaystack(3), { needle, length: 250, depth: 0.25 })).toEqual(p);
  });

  it("puts a needle's twin half the haystack away, and still locates the answer", () => {
    const base = generateNeedle(6, 'code');
    const twin = 'The access code for the far cellar is 7300-QX.';
    const needle = { ...base, twin };
    expect([0, 0.25, 0.5, 0.75, 1].map(twinDepth)).toEqual([0.5, 0.75, 0, 0.25, 0.5]);
    for (const depth of [0, 0.25, 0.5, 0.75, 1]) {
      const p = buildProbe(tok, generatedHaystack(2), { needle, length: 600, depth });
      expect(p.promptIds.length).toBeLessThanOrEqual(600);
      const text = tok.decode(p.promptIds);
      expect(text).toContain(twin);
      expect(tok.decode(p.answerPositions.map((i) => p.promptIds[i]!)).trim()).toBe(base.answer);
      const [needleAt, twinAt] = [text.indexOf(base.needle), text.indexOf(twin)];
      expect(needleAt).toBeGreaterThanOrEqual(0);
      // The twin is on the far side of the needle: after it for shallow needles, before it for deep ones.
      expect(twinAt > needleAt).toBe(depth < 0.5);
      expect(Math.abs(twinAt - needleAt)).toBeGreaterThan(text.length / 4);
    }
    // Without a twin nothing else is inserted.
    const plain = buildProbe(tok, generatedHaystack(2), { needle: base, length: 600, depth: 0.5 });
    expect(tok.decode(plain.promptIds)).not.toContain(twin);
  });

  it('refuses a length shorter than template + needle + question', () => {
    expect(() =>
      buildProbe(tok, generatedHaystack(1), { needle: generateNeedle(1), length: 20, depth: 0 }),
    ).toThrow(/too short/);
  });
});
