/**
 * The model's chat template (Jinja, from tokenizer_config.json or chat_template.jinja), rendered
 * with the variables transformers' apply_chat_template passes: messages, add_generation_prompt
 * and the special tokens (bos_token, eos_token, ...) as strings.
 */
import { Template } from '@huggingface/jinja';
import { KvLensError } from '../../../app/errors';
import { specialTokenText } from './tokenizer-files';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatTemplateOptions {
  /** Append the opening of the assistant turn, so the model answers next. */
  addGenerationPrompt: boolean;
}

const SPECIAL_KEYS = [
  'bos_token',
  'eos_token',
  'unk_token',
  'pad_token',
  'sep_token',
  'cls_token',
  'mask_token',
];

/** Picks the template source: a string, or the entry named 'default' of a named list. */
export function selectTemplateSource(
  config: Record<string, unknown>,
  templateFile: string | null,
  where: string,
): string {
  const raw = config['chat_template'] ?? templateFile;
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) {
    const names: string[] = [];
    for (const entry of raw as unknown[]) {
      const e = entry as { name?: unknown; template?: unknown };
      if (typeof e?.name === 'string') names.push(e.name);
      if (e?.name === 'default' && typeof e.template === 'string') return e.template;
    }
    throw new KvLensError(
      'unsupported',
      `${where}: chat_template lists templates [${names.join(', ')}] but none is named 'default'.`,
    );
  }
  throw new KvLensError(
    'invalid-checkpoint',
    `${where} has no chat_template (and there is no chat_template.jinja); ` +
      'use an instruction-tuned model folder, or pass raw token ids instead of a prompt.',
  );
}

export class ChatTemplate {
  private readonly template: Template;
  private readonly specials: Record<string, unknown> = {};

  constructor(source: string, tokenizerConfig: Record<string, unknown>, where: string) {
    try {
      this.template = new Template(source);
    } catch (err) {
      throw new KvLensError(
        'unsupported',
        `The chat_template of ${where} cannot be parsed: ${(err as Error).message}`,
      );
    }
    for (const key of SPECIAL_KEYS) {
      const text = specialTokenText(tokenizerConfig[key]);
      if (text !== null) this.specials[key] = text;
    }
    const extra = tokenizerConfig['additional_special_tokens'];
    if (Array.isArray(extra)) {
      this.specials['additional_special_tokens'] = extra.map(specialTokenText).filter((t) => t);
    }
  }

  /** Renders a conversation to the prompt text (special tokens as text, no tokenisation). */
  render(messages: ChatMessage[], options: ChatTemplateOptions): string {
    try {
      return this.template.render({
        ...this.specials,
        messages,
        add_generation_prompt: options.addGenerationPrompt,
      });
    } catch (err) {
      // Templates reject conversations they cannot express via raise_exception().
      throw new KvLensError(
        'invalid-argument',
        `The model's chat template rejected the conversation: ${(err as Error).message}`,
      );
    }
  }
}
