import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../native-models/checkpoint/make-checkpoint';
import { buildDocumentPrompt } from './document-prompt';
import { ModelTokenizer } from './model-tokenizer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-tokck-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TEXT = 'The quick brown fox jumps over the lazy dog. 世界 café 😀 naïve\n\nQ: why?';

describe('ModelTokenizer on a random checkpoint folder', () => {
  const made = makeCheckpoint({ family: 'qwen2', outDir: path.join(tmp, 'qwen2'), seed: 1 });
  const tok = ModelTokenizer.load(made.dir);

  it('reads the special ids of generation_config.json', () => {
    expect(tok.eosTokenIds).toEqual([tok.tokenToId('<|im_end|>'), tok.tokenToId('<|endoftext|>')]);
    expect(tok.bosTokenId).toBe(tok.tokenToId('<|endoftext|>'));
  });

  it('round-trips text, streams it and maps every token back to its characters', () => {
    const { ids, spans } = tok.encodeWithOffsets(TEXT);
    expect(ids.every((id) => id >= 0 && id < made.spec.vocabSize)).toBe(true);
    expect(tok.decode(ids)).toBe(TEXT);
    const stream = tok.createStreamDecoder();
    expect(ids.map((id) => stream.push(id)).join('') + stream.flush()).toBe(TEXT);
    const covered = new Set<number>();
    for (const [s, e] of spans) for (let i = s; i < e; i++) covered.add(i);
    expect(covered.size).toBe(TEXT.length);
  });

  it('splits a ChatML prompt into a question-independent prefix and a suffix', () => {
    const prompt = buildDocumentPrompt(tok, 'A short document.');
    expect(prompt.prefix).toBe('<|im_start|>user\nA short document.\n\n');
    expect(prompt.suffixText('Why?')).toBe('Why?<|im_end|>\n<|im_start|>assistant\n');
    const ids = [...prompt.encodePrefix().ids, ...prompt.encodeSuffix('Why?')];
    expect(ids).toEqual(tok.encode(prompt.prefix + prompt.suffixText('Why?')));
  });
});
