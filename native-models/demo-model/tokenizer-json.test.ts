import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';

// Fixtures are the ids of the project's Python BPE encoder (trainer/bpe.py, used for training);
// the app tokenizes with @huggingface/tokenizers, so both must agree id for id.
const here = import.meta.dirname;
const readJson = (...parts: string[]): unknown =>
  JSON.parse(readFileSync(join(here, ...parts), 'utf8'));

interface Fixtures {
  encode: { text: string; ids: number[] }[];
  chat: {
    messages: { role: string; content: string }[];
    add_generation_prompt: boolean;
    text: string;
  }[];
}

const tokenizerJson = readJson('weights', 'tokenizer.json') as object;
const tokenizerConfig = readJson('weights', 'tokenizer_config.json') as {
  chat_template: string;
  eos_token: string;
};
const fixtures = readJson('tests', 'fixtures', 'tokenizer-fixtures.json') as Fixtures;

describe('demo tokenizer.json in @huggingface/tokenizers', () => {
  const tok = new Tokenizer(tokenizerJson, tokenizerConfig);

  it('encodes the recorded Python ids and decodes back to the text', () => {
    expect(fixtures.encode.length).toBeGreaterThan(5);
    for (const { text, ids } of fixtures.encode) {
      const enc = tok.encode(text, { add_special_tokens: false });
      expect(enc.ids, text.slice(0, 60)).toEqual(ids);
      expect(tok.decode(enc.ids, { skip_special_tokens: false })).toBe(text);
    }
  });

  it('falls back to UTF-8 byte tokens for characters outside the vocabulary', () => {
    const tokens = tok.encode('東', { add_special_tokens: false }).tokens;
    expect(tokens).toEqual(['<0xE6>', '<0x9D>', '<0xB1>']);
  });

  it('maps the ChatML specials to single ids and uses <|im_end|> as eos', () => {
    expect(tok.token_to_id('<|endoftext|>')).toBe(0);
    expect(tok.token_to_id('<|im_start|>')).toBe(1);
    expect(tok.token_to_id('<|im_end|>')).toBe(2);
    expect(tokenizerConfig.eos_token).toBe('<|im_end|>');
  });

  it('renders the chat template exactly as the training data did', () => {
    const template = new Template(tokenizerConfig.chat_template);
    for (const c of fixtures.chat) {
      const text = template.render({
        messages: c.messages,
        add_generation_prompt: c.add_generation_prompt,
      });
      expect(text).toBe(c.text);
    }
  });
});
