/**
 * Tiny tokenizer folders for tests, written from scratch: a SentencePiece-style BPE with byte
 * fallback (the Llama 2 / Mistral layout) and a GPT-2-style byte-level BPE (the Qwen / Llama 3
 * layout), each with tokenizer_config.json and generation_config.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const special = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/** Byte -> printable character map of byte-level BPE (printable Latin-1 maps to itself). */
export function byteLevelAlphabet(): string[] {
  const keep = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(keep(b) ? b : next++));
}

/** Adds BPE merges of `words` (left to right) to vocab and merges. */
function addMerges(vocab: Record<string, number>, merges: string[][], words: string[]) {
  for (const w of words) {
    const chars = Array.from(w);
    let acc = chars[0]!;
    for (const c of chars.slice(1)) {
      if (vocab[acc + c] === undefined) {
        merges.push([acc, c]);
        vocab[acc + c] = Object.keys(vocab).length;
      }
      acc += c;
    }
  }
}

/** A Llama-2-style tokenizer: "▁" for spaces, byte fallback for anything not in the vocab. */
export function byteFallbackTokenizerJson() {
  const added = [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')];
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) {
    vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 3 + b;
  }
  // Letters, a CJK character with its own token ("世"), everything else through bytes.
  for (const c of '▁abcdefghijklmnopqrstuvwxyzHTW.,?世') vocab[c] = Object.keys(vocab).length;
  const merges: string[][] = [];
  addMerges(vocab, merges, ['▁the', '▁world', 'Hello', '▁is', 'ing', '▁Wh', 'at']);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

/** A Qwen-style byte-level BPE with ChatML special tokens and an NFC normalizer. */
export function byteLevelTokenizerJson() {
  const alphabet = byteLevelAlphabet();
  const vocab: Record<string, number> = {};
  alphabet.forEach((c, i) => (vocab[c] = i));
  const merges: string[][] = [];
  const enc = (s: string) => Array.from(new TextEncoder().encode(s), (b) => alphabet[b]!).join('');
  addMerges(
    vocab,
    merges,
    [' the', ' world', 'Hello', ' is', 'ing', ' What', 'é', '世界', '😀'].map(enc),
  );
  const n = Object.keys(vocab).length;
  const added = [
    special(n, '<|endoftext|>'),
    special(n + 1, '<|im_start|>'),
    special(n + 2, '<|im_end|>'),
  ];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: {
            Regex:
              "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
          },
          behavior: 'Isolated',
          invert: false,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: false,
      use_regex: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export const MISTRAL_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

export const LLAMA3_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

let root: string | null = null;

/** Removes every folder writeTokenizerFolder made in this process (call from afterAll). */
export function removeTokenizerFolders(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
}

/** Writes a model folder's tokenizer files into a new temp dir and returns its path. */
export function writeTokenizerFolder(
  kind: 'byte-fallback' | 'byte-level',
  overrides: { config?: Record<string, unknown>; generation?: Record<string, unknown> | null } = {},
): string {
  root ??= mkdtempSync(join(tmpdir(), 'kvlens-tok-'));
  const dir = mkdtempSync(join(root, `${kind}-`));
  const json = kind === 'byte-fallback' ? byteFallbackTokenizerJson() : byteLevelTokenizerJson();
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  const config =
    kind === 'byte-fallback'
      ? { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', chat_template: MISTRAL_TEMPLATE }
      : { bos_token: null, eos_token: '<|im_end|>', chat_template: CHATML_TEMPLATE };
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ clean_up_tokenization_spaces: false, ...config, ...overrides.config }),
  );
  // Qwen-style folders list both end tokens; Llama-2-style ones a single id.
  const n = Object.keys(json.model.vocab).length;
  const defaultGeneration =
    kind === 'byte-fallback'
      ? { bos_token_id: 1, eos_token_id: 2 }
      : { bos_token_id: n, eos_token_id: [n + 2, n] };
  const generation = overrides.generation === undefined ? defaultGeneration : overrides.generation;
  if (generation !== null) {
    writeFileSync(join(dir, 'generation_config.json'), JSON.stringify(generation));
  }
  return dir;
}
