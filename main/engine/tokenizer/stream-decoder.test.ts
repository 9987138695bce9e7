import { afterAll, describe, expect, it } from 'vitest';
import { ModelTokenizer } from './model-tokenizer';
import { removeTokenizerFolders, writeTokenizerFolder } from './tokenizer-fixtures';

afterAll(removeTokenizerFolders);

const TEXTS = [
  'Hello the world, What is 世界? café 😀 naïve 🇫🇷 done.',
  '😀😀世界界 e\u0301 \u00e9\n\nWhat',
];

function streamAll(tok: ModelTokenizer, ids: number[], skipSpecialTokens: boolean) {
  const stream = tok.createStreamDecoder({ skipSpecialTokens });
  const deltas = ids.map((id) => stream.push(id));
  deltas.push(stream.flush());
  return deltas;
}

describe('StreamDecoder', () => {
  for (const kind of ['byte-fallback', 'byte-level'] as const) {
    const tok = ModelTokenizer.load(writeTokenizerFolder(kind));

    it(`${kind}: deltas concatenate to decode(all) and never hold a broken character`, () => {
      for (const text of TEXTS) {
        const ids = tok.encode(text);
        const deltas = streamAll(tok, ids, true);
        expect(deltas.join('')).toBe(tok.decode(ids));
        for (const d of deltas) expect(d).not.toContain('\uFFFD');
      }
    });

    it(`${kind}: bytes of a partial character yield '' and are pending until completed`, () => {
      // Neither fixture has a token (or byte merge) for 𝄞, so it arrives as four byte tokens after "x".
      const ids = tok.encode('x𝄞');
      const stream = tok.createStreamDecoder();
      const before = ids.slice(0, -4).map((id) => stream.push(id));
      expect(before.join('')).toBe('x');
      const out = ids.slice(-4).map((id) => [stream.push(id), stream.pending]);
      expect(out).toEqual([
        ['', true],
        ['', true],
        ['', true],
        ['𝄞', false],
      ]);
    });

    it(`${kind}: random id sequences (with special tokens and invalid bytes) match decode`, () => {
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let trial = 0; trial < 40; trial++) {
        const ids = Array.from({ length: 1 + Math.floor(rand() * 30) }, () =>
          Math.floor(rand() * 300),
        );
        for (const skip of [true, false]) {
          expect(streamAll(tok, ids, skip).join('')).toBe(
            tok.decode(ids, { skipSpecialTokens: skip }),
          );
        }
      }
    });
  }

  it('keeps SentencePiece spacing after a skipped special token', () => {
    const tok = ModelTokenizer.load(writeTokenizerFolder('byte-fallback'));
    const ids = [...tok.encode('Hello'), 2, ...tok.encode('the world')];
    expect(streamAll(tok, ids, true).join('')).toBe(tok.decode(ids));
  });
});
