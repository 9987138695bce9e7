import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KvLensError } from '../../../app/errors';
import { ModelTokenizer } from './model-tokenizer';
import { removeTokenizerFolders, writeTokenizerFolder } from './tokenizer-fixtures';

afterAll(removeTokenizerFolders);

function loadError(dir: string): KvLensError {
  try {
    ModelTokenizer.load(dir);
  } catch (err) {
    if (err instanceof KvLensError) return err;
    throw err;
  }
  throw new Error('expected load to fail');
}

describe('ModelTokenizer.load errors name the file', () => {
  it('missing tokenizer.json or tokenizer_config.json', () => {
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      const dir = writeTokenizerFolder('byte-level');
      rmSync(join(dir, file));
      const err = loadError(dir);
      expect(err.code).toBe('not-found');
      expect(err.message).toContain(join(dir, file));
    }
  });

  it('corrupt JSON, a non-object and an unloadable tokenizer.json', () => {
    const cases: [string, string, string][] = [
      ['tokenizer.json', '{"model": {"type": "BPE", ', 'not valid JSON'],
      ['tokenizer_config.json', '[1, 2]', 'must hold a JSON object'],
      ['generation_config.json', 'nope', 'not valid JSON'],
      ['tokenizer.json', '{"model": {"type": "Nonsense"}}', 'cannot be loaded'],
    ];
    for (const [file, body, why] of cases) {
      const dir = writeTokenizerFolder('byte-level');
      writeFileSync(join(dir, file), body);
      const err = loadError(dir);
      expect(err.message).toContain(join(dir, file));
      expect(err.message).toContain(why);
    }
  });

  it('a bad eos_token_id or an eos_token missing from the vocabulary', () => {
    const bad = loadError(
      writeTokenizerFolder('byte-level', { generation: { eos_token_id: 'x' } }),
    );
    expect(bad.message).toMatch(/generation_config\.json: eos_token_id must be/);
    const unknown = loadError(
      writeTokenizerFolder('byte-level', { generation: null, config: { eos_token: '<nope>' } }),
    );
    expect(unknown.message).toMatch(/tokenizer_config\.json: eos_token "<nope>"/);
  });
});

describe('ModelTokenizer special ids', () => {
  it('reads bos/eos from generation_config.json as an int or a list', () => {
    const fallback = ModelTokenizer.load(writeTokenizerFolder('byte-fallback'));
    expect([fallback.bosTokenId, fallback.eosTokenIds]).toEqual([1, [2]]);
    const level = ModelTokenizer.load(writeTokenizerFolder('byte-level'));
    const imEnd = level.tokenToId('<|im_end|>')!;
    const eot = level.tokenToId('<|endoftext|>')!;
    expect(level.eosTokenIds).toEqual([imEnd, eot]);
    expect(level.isSpecial(imEnd)).toBe(true);
    expect(level.isSpecial(level.encode('a')[0]!)).toBe(false);
  });

  it('falls back to tokenizer_config.json tokens without generation_config.json', () => {
    const tok = ModelTokenizer.load(writeTokenizerFolder('byte-level', { generation: null }));
    expect(tok.eosTokenIds).toEqual([tok.tokenToId('<|im_end|>')]);
    expect(tok.bosTokenId).toBeNull();
    const sp = ModelTokenizer.load(writeTokenizerFolder('byte-fallback', { generation: {} }));
    expect([sp.bosTokenId, sp.eosTokenIds]).toEqual([1, [2]]);
  });
});

describe('ModelTokenizer encode/decode', () => {
  it('encode adds no BOS; special tokens written in text become their ids', () => {
    const sp = ModelTokenizer.load(writeTokenizerFolder('byte-fallback'));
    expect(sp.encode('Hello')[0]).not.toBe(sp.bosTokenId);
    expect(sp.encode('<s>Hello')[0]).toBe(1);
    const bl = ModelTokenizer.load(writeTokenizerFolder('byte-level'));
    expect(bl.encode('<|im_start|>user')[0]).toBe(bl.tokenToId('<|im_start|>'));
  });

  it('decode skips special tokens unless asked and keeps spacing verbatim', () => {
    const bl = ModelTokenizer.load(writeTokenizerFolder('byte-level'));
    const ids = bl.encode('<|im_start|>Hello , world .<|im_end|>');
    expect(bl.decode(ids)).toBe('Hello , world .');
    expect(bl.decode(ids, { skipSpecialTokens: false })).toBe(
      '<|im_start|>Hello , world .<|im_end|>',
    );
  });

  it('decodes no ids (a reply that ended at once) as empty text', () => {
    for (const kind of ['byte-level', 'byte-fallback'] as const) {
      const tok = ModelTokenizer.load(writeTokenizerFolder(kind));
      expect(tok.decode([])).toBe('');
      expect(tok.decode([], { skipSpecialTokens: false })).toBe('');
    }
  });

  it('encodeContinuation adds no SentencePiece prefix space', () => {
    const sp = ModelTokenizer.load(writeTokenizerFolder('byte-fallback'));
    const ids = sp.encodeContinuation('What is it');
    expect(sp.decode([...sp.encode('Hi.'), ...ids])).toBe('Hi.What is it');
    expect(sp.decode([...sp.encode('Hi.'), ...sp.encode('What is it')])).toBe('Hi. What is it');
    const bl = ModelTokenizer.load(writeTokenizerFolder('byte-level'));
    expect(bl.encodeContinuation(' What is it')).toEqual(bl.encode(' What is it'));
  });
});
