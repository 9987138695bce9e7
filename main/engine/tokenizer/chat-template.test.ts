import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KvLensError } from '../../../app/errors';
import { ModelTokenizer } from './model-tokenizer';
import {
  CHATML_TEMPLATE,
  LLAMA3_TEMPLATE,
  MISTRAL_TEMPLATE,
  removeTokenizerFolders,
  writeTokenizerFolder,
} from './tokenizer-fixtures';

afterAll(removeTokenizerFolders);

const CHAT = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: '  Hi there \n' },
];

const load = (config: Record<string, unknown>) =>
  ModelTokenizer.load(writeTokenizerFolder('byte-level', { config }));

describe('applyChatTemplate', () => {
  it('renders a ChatML template with and without the generation prompt', () => {
    const tok = load({ chat_template: CHATML_TEMPLATE });
    const body =
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n  Hi there \n<|im_end|>\n';
    expect(tok.applyChatTemplate(CHAT, { addGenerationPrompt: false })).toBe(body);
    expect(tok.applyChatTemplate(CHAT, { addGenerationPrompt: true })).toBe(
      body + '<|im_start|>assistant\n',
    );
  });

  it('renders a Llama 3 template with bos_token (string or object form) and trimmed content', () => {
    const want =
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\n';
    for (const bos of ['<|begin_of_text|>', { content: '<|begin_of_text|>', special: true }]) {
      const tok = load({ chat_template: LLAMA3_TEMPLATE, bos_token: bos });
      expect(tok.applyChatTemplate(CHAT, { addGenerationPrompt: true })).toBe(want);
    }
  });

  it("picks the template named 'default' from a list, and names the choices otherwise", () => {
    const named = [
      { name: 'tool_use', template: 'TOOLS' },
      { name: 'default', template: CHATML_TEMPLATE },
    ];
    const tok = load({ chat_template: named });
    expect(tok.applyChatTemplate(CHAT, { addGenerationPrompt: false })).toContain('<|im_start|>');
    const noDefault = load({ chat_template: [named[0]] });
    expect(() => noDefault.applyChatTemplate(CHAT, { addGenerationPrompt: true })).toThrow(
      /\[tool_use\].*'default'/,
    );
  });

  it('reads chat_template.jinja when tokenizer_config.json has none', () => {
    const dir = writeTokenizerFolder('byte-level', { config: { chat_template: undefined } });
    writeFileSync(join(dir, 'chat_template.jinja'), '{{ messages[0].content }}!');
    expect(ModelTokenizer.load(dir).applyChatTemplate(CHAT, { addGenerationPrompt: true })).toBe(
      'Be brief.!',
    );
  });

  it('reports a missing template, a broken template and raise_exception as KvLensErrors', () => {
    const none = load({ chat_template: undefined });
    expect(() => none.applyChatTemplate(CHAT, { addGenerationPrompt: true })).toThrow(
      /tokenizer_config\.json has no chat_template/,
    );
    const broken = load({ chat_template: '{% for m in messages %}' });
    expect(() => broken.applyChatTemplate(CHAT, { addGenerationPrompt: true })).toThrow(
      KvLensError,
    );
    const mistral = load({ chat_template: MISTRAL_TEMPLATE, bos_token: '<s>' });
    expect(() => mistral.applyChatTemplate(CHAT, { addGenerationPrompt: true })).toThrow(
      /rejected the conversation: .*Only user and assistant/,
    );
    expect(mistral.applyChatTemplate(CHAT.slice(1), { addGenerationPrompt: true })).toBe(
      '<s>[INST]   Hi there \n [/INST]',
    );
  });
});
