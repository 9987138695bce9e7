import { afterAll, describe, expect, it } from 'vitest';
import { ModelTokenizer } from './model-tokenizer';
import { removeTokenizerFolders, writeTokenizerFolder } from './tokenizer-fixtures';

afterAll(removeTokenizerFolders);

const TEXTS = [
  'Hello the world',
  ' What is 世界? café 😀 naïve 𝄞 🇫🇷\n\nend.',
  'e\u0301 is NFC-composed by the byte-level tokenizer; <|im_start|> and <s> are special.',
  '界界界 \u00a0 tab\there  ',
];

describe('encodeWithOffsets', () => {
  for (const kind of ['byte-fallback', 'byte-level'] as const) {
    const tok = ModelTokenizer.load(writeTokenizerFolder(kind));

    it(`${kind}: spans are ordered, in bounds and together cover the whole text`, () => {
      for (const text of TEXTS) {
        const { ids, spans } = tok.encodeWithOffsets(text);
        expect(spans.length).toBe(ids.length);
        expect(ids).toEqual(tok.encode(text));
        const covered = new Array<boolean>(text.length).fill(false);
        let prev = [0, 0];
        for (const [s, e] of spans) {
          expect(s).toBeGreaterThanOrEqual(prev[0]!);
          expect(e).toBeGreaterThanOrEqual(s);
          expect(e).toBeLessThanOrEqual(text.length);
          // Overlap only ever shares the one character a partial token belongs to.
          expect(s).toBeGreaterThanOrEqual(Math.min(prev[1]!, e) - 2);
          for (let i = s; i < e; i++) covered[i] = true;
          prev = [s, e];
        }
        expect(covered.every((c) => c)).toBe(true);
      }
    });

    it(`${kind}: each group of tokens sharing a span re-encodes to the same ids`, () => {
      for (const text of TEXTS) {
        const { ids, spans } = tok.encodeWithOffsets(text);
        for (let k = 0; k < ids.length;) {
          let end = k + 1;
          const key = spans[k]!.join();
          while (end < ids.length && spans[end]!.join() === key) end++;
          const [s, e] = spans[k]!;
          if (e > s) expect(tok.encodeContinuation(text.slice(s, e))).toEqual(ids.slice(k, end));
          k = end;
        }
      }
    });

    it(`${kind}: tokens carrying part of a character map to that whole character`, () => {
      const text = 'x𝄞y界';
      const { ids, spans } = tok.encodeWithOffsets(text);
      const pieces = spans.map(([s, e]) => text.slice(s, e));
      // 𝄞 is 4 UTF-8 bytes with no token of its own: 4 tokens, each spanning both UTF-16 units.
      expect(pieces.filter((p) => p === '𝄞')).toHaveLength(4);
      expect(pieces).toContain('y');
      expect(ids.length).toBe(pieces.length);
    });
  }

  it('byte-level: an NFC-composed token spans both input characters', () => {
    const tok = ModelTokenizer.load(writeTokenizerFolder('byte-level'));
    const text = 'caf e\u0301!';
    const { spans } = tok.encodeWithOffsets(text);
    expect(spans.map(([s, e]) => text.slice(s, e))).toContain('e\u0301');
  });
});
