import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { buildTokenizerFiles, IM_END_ID, IM_START_ID, MIN_VOCAB } from './random-tokenizer';

const TEXTS = [
  'The model reads the document and answers the question.',
  '  leading spaces, tabs\tand\nnewlines\n\n',
  'Größe café naïve déjà vu — “quotes” 1234.5678',
  '日本語の文書を読みます。中文文档很长。한국어 🙂📄✅',
];

function load(vocabSize: number): Tokenizer {
  const files = buildTokenizerFiles(vocabSize);
  return new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
}

describe('random byte-level BPE tokenizer', () => {
  const tok = load(512);

  it('has exactly vocab_size tokens', () => {
    expect(tok.get_vocab(true).size).toBe(512);
    const ids = [...tok.get_vocab(true).values()].sort((a, b) => a - b);
    expect(ids[0]).toBe(0);
    expect(ids[511]).toBe(511);
  });

  it('round-trips ASCII and non-ASCII text', () => {
    for (const text of TEXTS) {
      const { ids } = tok.encode(text);
      expect(ids.every((id) => id >= 0 && id < 512)).toBe(true);
      expect(tok.decode(ids)).toBe(text);
    }
  });

  it('encodes empty text to no tokens', () => {
    // (The library's decode() rejects an empty id list, so callers must special-case it.)
    expect(tok.encode('').ids).toEqual([]);
  });

  it('uses learned merges for common words', () => {
    const ids = tok.encode('the model reads the document').ids;
    expect(ids.length).toBeLessThan('the model reads the document'.length / 2);
  });

  it('keeps special tokens whole and can skip them', () => {
    const { ids } = tok.encode('<|im_start|>user\nhi<|im_end|>');
    expect(ids[0]).toBe(IM_START_ID);
    expect(ids[ids.length - 1]).toBe(IM_END_ID);
    expect(tok.decode(ids, { skip_special_tokens: true })).toBe('user\nhi');
  });

  it('renders its chat template', () => {
    const files = buildTokenizerFiles(512);
    const template = new Template(files.tokenizerConfig.chat_template as string);
    const text = template.render({
      messages: [{ role: 'user', content: 'Hello?' }],
      add_generation_prompt: true,
    });
    expect(text).toBe('<|im_start|>user\nHello?<|im_end|>\n<|im_start|>assistant\n');
    expect(tok.encode(text).ids.filter((id) => id === IM_START_ID).length).toBe(2);
  });

  it('is deterministic and scales to a Qwen-sized vocabulary', () => {
    expect(JSON.stringify(buildTokenizerFiles(600))).toBe(JSON.stringify(buildTokenizerFiles(600)));
    const big = load(151936);
    expect(big.get_vocab(true).size).toBe(151936);
    for (const text of TEXTS) expect(big.decode(big.encode(text).ids)).toBe(text);
    expect(load(MIN_VOCAB).get_vocab(true).size).toBe(MIN_VOCAB);
    expect(() => buildTokenizerFiles(MIN_VOCAB - 1)).toThrow(/vocab_size >= 259/);
  });
});
