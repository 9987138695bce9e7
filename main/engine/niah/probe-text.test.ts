import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillerSentences } from './filler-text';
import { fileHaystack, generatedHaystack } from './haystack';
import { insertNeedle, sentenceStarts } from './insert-needle';
import { generateNeedle, NEEDLE_KINDS, readNeedlesFile } from './needles';
import { probeGrid } from './probe-grid';

const root = mkdtempSync(join(tmpdir(), 'kv-lens-niah-text-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('filler and haystacks', () => {
  it('is deterministic per seed, extends as a prefix, and differs between seeds', () => {
    const a = fillerSentences(3, 500);
    const b = fillerSentences(3, 2000);
    expect(b.slice(0, a.length)).toEqual(a);
    expect(fillerSentences(4, 500)).not.toEqual(a);
    expect(a.every((s) => /^[A-Z].*\.$/.test(s))).toBe(true);
    const h = generatedHaystack(3);
    expect(h.text(100).length).toBeGreaterThanOrEqual(100);
    expect(h.text(5000).startsWith(h.text(100).slice(0, 100))).toBe(true);
  });

  it('never uses a needle word in the filler', () => {
    const filler = fillerSentences(1, 20000).join(' ');
    for (let s = 0; s < 20; s++) expect(filler).not.toContain(generateNeedle(s).answer);
  });

  it('repeats a short haystack file and rejects an empty one', () => {
    const p = join(root, 'hay.txt');
    writeFileSync(p, 'One small   file.\nWith two sentences here.');
    expect(fileHaystack(p).text(100).length).toBeGreaterThanOrEqual(100);
    writeFileSync(join(root, 'empty.txt'), ' ');
    expect(() => fileHaystack(join(root, 'empty.txt'))).toThrow(/almost no text/);
    expect(() => fileHaystack(join(root, 'missing.txt'))).toThrow(/Cannot read/);
  });
});

describe('insertNeedle', () => {
  const hay = 'Alpha one. Beta two. Gamma three. Delta four.';
  it('puts the needle at a sentence start by depth', () => {
    expect(sentenceStarts(hay)).toEqual([0, 11, 21, 34]);
    expect(insertNeedle(hay, 'N.', 0)).toEqual({ text: `N. ${hay}`, needleStart: 0 });
    expect(insertNeedle(hay, 'N.', 1)).toEqual({ text: `${hay} N.`, needleStart: hay.length + 1 });
    const mid = insertNeedle(hay, 'N.', 0.5);
    expect(mid.needleStart).toBe(21);
    expect(mid.text).toBe('Alpha one. Beta two. N. Gamma three. Delta four.');
    expect(() => insertNeedle(hay, 'N.', 1.5)).toThrow();
  });
});

describe('needles', () => {
  it('generates every kind with the answer inside the needle', () => {
    for (const kind of NEEDLE_KINDS) {
      const n = generateNeedle(9, kind);
      expect(n.kind).toBe(kind);
      expect(n.needle).toContain(n.answer);
      expect(n.question.endsWith('?')).toBe(true);
    }
    expect(generateNeedle(9)).toEqual(generateNeedle(9));
  });

  it('reads JSON lines and names the bad line', () => {
    const good = join(root, 'n.jsonl');
    writeFileSync(
      good,
      '{"needle":"The key is 42.","question":"What is the key?","answer":"42"}\n\n{"id":"x","needle":"A B.","question":"?","answer":"B"}\n',
    );
    const ns = readNeedlesFile(good);
    expect(ns.map((n) => n.id)).toEqual(['line-1', 'x']);
    const bad = join(root, 'bad.jsonl');
    writeFileSync(bad, '{"needle":"The key is 42.","question":"Q?","answer":"41"}\n');
    expect(() => readNeedlesFile(bad)).toThrow(/line 1.*must appear verbatim/);
    writeFileSync(bad, 'not json\n');
    expect(() => readNeedlesFile(bad)).toThrow(/line 1 is not JSON/);
  });

  it('reads an optional twin and refuses one that holds the answer', () => {
    const file = join(root, 'twins.jsonl');
    writeFileSync(
      file,
      '{"needle":"The key is 42.","question":"Q?","answer":"42","twin":"The lock is 17."}\n{"needle":"The key is 42.","question":"Q?","answer":"42"}\n',
    );
    const [withTwin, plain] = readNeedlesFile(file);
    expect(withTwin!.twin).toBe('The lock is 17.');
    expect(plain).not.toHaveProperty('twin');
    writeFileSync(
      file,
      '{"needle":"The key is 42.","question":"Q?","answer":"42","twin":"The lock is 42."}\n',
    );
    expect(() => readNeedlesFile(file)).toThrow(/line 1: the twin .* holds the answer/);
    writeFileSync(file, '{"needle":"The key is 42.","question":"Q?","answer":"42","twin":7}\n');
    expect(() => readNeedlesFile(file)).toThrow(/"twin" must be a non-empty string/);
  });
});

describe('probeGrid', () => {
  it('is length-major with stable ids, one haystack for all cells', () => {
    const cells = probeGrid({ lengths: [100, 200], depths: [0, 1], seed: 2 });
    expect(cells.map((c) => [c.length, c.depth])).toEqual([
      [100, 0],
      [100, 1],
      [200, 0],
      [200, 1],
    ]);
    expect(new Set(cells.map((c) => c.id)).size).toBe(4);
    expect(cells[0]!.haystack).toBe(cells[3]!.haystack);
    expect(probeGrid({ lengths: [100, 200], depths: [0, 1], seed: 2 }).map((c) => c.id)).toEqual(
      cells.map((c) => c.id),
    );
    expect(() => probeGrid({ lengths: [8], depths: [0], seed: 0 })).toThrow(/>= 16/);
    expect(() => probeGrid({ lengths: [100], depths: [2], seed: 0 })).toThrow(/\[0, 1\]/);
  });
});
