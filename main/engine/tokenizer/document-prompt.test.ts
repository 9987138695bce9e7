import { afterAll, describe, expect, it } from 'vitest';
import { buildDocumentPrompt } from './document-prompt';
import { ModelTokenizer } from './model-tokenizer';
import {
  LLAMA3_TEMPLATE,
  removeTokenizerFolders,
  writeTokenizerFolder,
} from './tokenizer-fixtures';

afterAll(removeTokenizerFolders);

const DOC = '  The world is round.\n世界 😀 café.  ';
const QUESTIONS = ['What is the world?', 'Is it 世界? ', 'x'];

describe('buildDocumentPrompt', () => {
  const cases = [
    ['ChatML, byte-level', writeTokenizerFolder('byte-level')],
    ['Mistral [INST], byte fallback', writeTokenizerFolder('byte-fallback')],
    [
      'Llama 3 (trims the message)',
      writeTokenizerFolder('byte-level', {
        config: { chat_template: LLAMA3_TEMPLATE, bos_token: '<|endoftext|>' },
      }),
    ],
  ] as const;

  for (const [name, dir] of cases) {
    const tok = ModelTokenizer.load(dir);

    it(`${name}: prefix + suffix is the full rendering, prefix independent of the question`, () => {
      const prompt = buildDocumentPrompt(tok, DOC);
      for (const q of QUESTIONS) {
        const full = tok.applyChatTemplate([{ role: 'user', content: `${DOC}\n\n${q}` }], {
          addGenerationPrompt: true,
        });
        expect(prompt.prefix + prompt.suffixText(q)).toBe(full);
        expect(buildDocumentPrompt(tok, DOC).prefix).toBe(prompt.prefix);
        expect(prompt.prefix.endsWith('\n\n')).toBe(true);
      }
    });

    it(`${name}: documentRange locates the document text in the prefix`, () => {
      const prompt = buildDocumentPrompt(tok, DOC);
      const [s, e] = prompt.documentRange;
      const doc = prompt.prefix.slice(s, e);
      expect(DOC.includes(doc) && doc.trim() === DOC.trim()).toBe(true);
      const { ids, spans } = prompt.encodePrefix();
      expect(ids).toEqual(tok.encode(prompt.prefix));
      // Some token maps onto the document's first character.
      expect(spans.some(([a, b]) => a <= s + doc.indexOf('T') && b > s + doc.indexOf('T'))).toBe(
        true,
      );
    });

    it(`${name}: prefix ids + suffix ids equal encoding the whole prompt at once`, () => {
      // Holds for these tokenizers because the split sits after "\n\n", where they split anyway.
      const prompt = buildDocumentPrompt(tok, DOC);
      for (const q of QUESTIONS) {
        const ids = [...prompt.encodePrefix().ids, ...prompt.encodeSuffix(q)];
        expect(ids).toEqual(tok.encode(prompt.prefix + prompt.suffixText(q)));
      }
    });
  }

  it('works when the document contains the sentinel text', () => {
    const tok = ModelTokenizer.load(writeTokenizerFolder('byte-level'));
    const doc = 'KVLENSQUESTION and KVLENSQUESTIONX';
    const prompt = buildDocumentPrompt(tok, doc, { system: 'sys' });
    expect(prompt.prefix).toBe(`<|im_start|>system\nsys<|im_end|>\n<|im_start|>user\n${doc}\n\n`);
  });

  it('rejects a template that does not show the user message', () => {
    const tok = ModelTokenizer.load(
      writeTokenizerFolder('byte-level', { config: { chat_template: 'no messages here' } }),
    );
    expect(() => buildDocumentPrompt(tok, DOC)).toThrow(/does not place the user message/);
  });
});
