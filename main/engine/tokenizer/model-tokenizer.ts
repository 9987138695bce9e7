/**
 * The model's tokenizer and chat template, loaded offline from a Hugging Face model folder.
 *
 * encode() never adds BOS/EOS: prompts come from the chat template, which writes those tokens
 * as text (transformers tokenizes templated prompts the same way). decode() keeps spacing as
 * the model produced it (no clean_up_tokenization_spaces), so the streaming decoder's output
 * always equals decode() of the same ids.
 */
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { KvLensError } from '../../../app/errors';
import {
  ChatTemplate,
  selectTemplateSource,
  type ChatMessage,
  type ChatTemplateOptions,
} from './chat-template';
import { StreamDecoder } from './stream-decoder';
import { computeTokenSpans, type Span } from './token-offsets';
import { readTokenizerFiles, specialTokenText } from './tokenizer-files';

export interface DecodeOptions {
  /** Drop special tokens such as <|im_end|> (default true: user-facing text). */
  skipSpecialTokens?: boolean;
}

export class ModelTokenizer {
  /** BOS id, or null when the model has none. */
  readonly bosTokenId: number | null;
  /** Ids that end generation: generation_config.json eos_token_id, else the config's eos_token. */
  readonly eosTokenIds: number[];
  private readonly specialIds: Set<number>;
  private template: ChatTemplate | null = null;
  private prefixSpace: boolean | undefined;

  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly config: Record<string, unknown>,
    private readonly templateFile: string | null,
    private readonly configPath: string,
    generation: Record<string, unknown> | null,
    generationPath: string,
  ) {
    this.specialIds = new Set(
      [...tokenizer.get_added_tokens_decoder()].filter(([, t]) => t.special).map(([id]) => id),
    );
    this.bosTokenId = this.configIds(generation, 'bos_token_id', generationPath)[0] ?? null;
    this.eosTokenIds = this.configIds(generation, 'eos_token_id', generationPath);
  }

  /** Loads tokenizer.json, tokenizer_config.json and generation_config.json from a folder. */
  static load(modelDir: string): ModelTokenizer {
    const files = readTokenizerFiles(modelDir);
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(files.tokenizerJson, files.tokenizerConfig);
    } catch (err) {
      throw new KvLensError(
        'corrupt',
        `${join(modelDir, 'tokenizer.json')} cannot be loaded: ${(err as Error).message}`,
      );
    }
    return new ModelTokenizer(
      tokenizer,
      files.tokenizerConfig,
      files.chatTemplateFile,
      join(modelDir, 'tokenizer_config.json'),
      files.generationConfig,
      join(modelDir, 'generation_config.json'),
    );
  }

  /** Token ids of a text, without added BOS/EOS. */
  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  /** Token ids plus each token's [start, end) character span in `text` (see token-offsets.ts). */
  encodeWithOffsets(text: string): { ids: number[]; spans: Span[] } {
    const ids = this.encode(text);
    return { ids, spans: computeTokenSpans(ids, (part) => this.rawDecode(part), text) };
  }

  /**
   * Ids of text that continues earlier text, without the prefix space SentencePiece-style
   * tokenizers add at the start of every encode() (which would put a stray space before a
   * question tokenized on its own). Encodes "\n" + text and drops the anchor's tokens.
   */
  encodeContinuation(text: string): number[] {
    if (!this.addsPrefixSpace()) return this.encode(text);
    const anchor = '\n';
    const { ids, spans } = this.encodeWithOffsets(anchor + text);
    const first = spans.findIndex(([, end]) => end > anchor.length);
    if (first < 0) return [];
    // A token merging the anchor with the text cannot be split; fall back to a plain encode.
    if (spans[first]![0] < anchor.length) return this.encode(text);
    return ids.slice(first);
  }

  /** Text of token ids ('' for none: a reply that ended at once, which the library rejects). */
  decode(ids: number[], options: DecodeOptions = {}): string {
    if (ids.length === 0) return '';
    return this.tokenizer.decode(ids, {
      skip_special_tokens: options.skipSpecialTokens ?? true,
      clean_up_tokenization_spaces: false,
    });
  }

  /** A decoder that turns ids into text deltas as they arrive (see stream-decoder.ts). */
  createStreamDecoder(options: DecodeOptions = {}): StreamDecoder {
    return new StreamDecoder((ids) => this.decode(ids, options));
  }

  /** Renders messages with the model's chat template (string or the 'default' named one). */
  applyChatTemplate(messages: ChatMessage[], options: ChatTemplateOptions): string {
    if (!this.template) {
      const where = this.configPath;
      const source = selectTemplateSource(this.config, this.templateFile, where);
      this.template = new ChatTemplate(source, this.config, where);
    }
    return this.template.render(messages, options);
  }

  /** Id of a token string (vocab or added token), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** True for added special tokens such as <|im_start|>. */
  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  private addsPrefixSpace(): boolean {
    if (this.prefixSpace === undefined) {
      const first = this.tokenizer.encode('a', { add_special_tokens: false }).tokens[0] ?? '';
      this.prefixSpace = first.startsWith('\u2581') || first.startsWith('\u0120');
    }
    return this.prefixSpace;
  }

  private rawDecode(ids: number[]): string {
    return this.decode(ids, { skipSpecialTokens: false });
  }

  /** generation_config.json `key` (int or int[]), else the config's token of the same role. */
  private configIds(gen: Record<string, unknown> | null, key: string, genPath: string): number[] {
    const value = gen?.[key];
    if (value !== undefined && value !== null) {
      const list = Array.isArray(value) ? value : [value];
      if (list.every((v) => Number.isInteger(v) && (v as number) >= 0)) return list as number[];
      throw new KvLensError(
        'corrupt',
        `${genPath}: ${key} must be a token id or a list of token ids, got ${JSON.stringify(value)}.`,
      );
    }
    const configKey = key.replace(/_id$/, '');
    const text = specialTokenText(this.config[configKey]);
    if (text === null) return [];
    const id = this.tokenizer.token_to_id(text);
    if (id === undefined) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${this.configPath}: ${configKey} "${text}" is not a token of tokenizer.json.`,
      );
    }
    return [id];
  }
}
