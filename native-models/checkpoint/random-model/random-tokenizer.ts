/**
 * A valid byte-level BPE tokenizer (the scheme of Llama 3 and Qwen) of any vocabulary size, for
 * random checkpoints: special tokens, the 256 byte tokens, merges learned from a small built-in
 * corpus, then deterministic filler merges until the vocabulary matches config.json.
 */
import { KvLensError } from '../../../app/errors';
import { Random } from './random';
import { TOKENIZER_CORPUS } from './tokenizer-corpus';

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
export const ENDOFTEXT_ID = 0;
export const IM_START_ID = 1;
export const IM_END_ID = 2;

/** ChatML: the format Qwen models use, written from its published description. */
export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The smallest vocabulary that holds the special and byte tokens. */
export const MIN_VOCAB = SPECIAL_TOKENS.length + 256;

/** Longest filler token (in byte symbols), so filler merges stay plausible. */
const MAX_FILLER_LEN = 12;

/** GPT-2's byte -> printable character map used by byte-level BPE. */
function byteToChar(): string[] {
  const map: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map[b] = String.fromCodePoint(printable ? b : 256 + extra++);
  }
  return map;
}

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
}

/** tokenizer.json + tokenizer_config.json with exactly `vocabSize` tokens. */
export function buildTokenizerFiles(vocabSize: number): TokenizerFiles {
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_VOCAB) {
    throw new KvLensError(
      'invalid-argument',
      `A byte-level tokenizer needs vocab_size >= ${MIN_VOCAB}, got ${vocabSize}.`,
    );
  }
  const bytes = byteToChar();
  const vocab = new Map<string, number>();
  SPECIAL_TOKENS.forEach((t, i) => vocab.set(t, i));
  bytes.forEach((c) => vocab.set(c, vocab.size));
  const merges: string[] = [];
  const addMerge = (a: string, b: string): void => {
    merges.push(`${a} ${b}`);
    vocab.set(a + b, vocab.size);
  };
  learnMerges(bytes, vocabSize - vocab.size, vocab, addMerge);
  fillMerges(bytes, vocabSize, vocab, addMerge);

  const added = SPECIAL_TOKENS.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_eos_token: false,
    added_tokens_decoder: Object.fromEntries(added.map(({ id, ...rest }) => [String(id), rest])),
    bos_token: null,
    eos_token: SPECIAL_TOKENS[IM_END_ID],
    pad_token: SPECIAL_TOKENS[ENDOFTEXT_ID],
    unk_token: null,
    chat_template: CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    model_max_length: 131072,
    tokenizer_class: 'PreTrainedTokenizerFast',
  };
  return { tokenizerJson, tokenizerConfig };
}

/** Greedy BPE training on the built-in corpus (most frequent pair first, ties by text). */
function learnMerges(
  bytes: string[],
  budget: number,
  vocab: Map<string, number>,
  addMerge: (a: string, b: string) => void,
): void {
  const counts = new Map<string, number>();
  const encoder = new TextEncoder();
  // The same split the ByteLevel pre-tokenizer makes (merges never cross these boundaries).
  for (const m of TOKENIZER_CORPUS.matchAll(/ ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu)) {
    const word = [...encoder.encode(m[0])].map((b) => bytes[b]!).join('\u0000');
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  let words = [...counts].map(([w, n]) => ({ symbols: w.split('\u0000'), n }));
  for (let done = 0; done < budget; done++) {
    const pairs = new Map<string, number>();
    for (const { symbols, n } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    let best: string | null = null;
    let bestN = 1; // a pair seen once teaches nothing
    for (const [key, n] of pairs) {
      if (n > bestN || (n === bestN && best !== null && key < best)) {
        best = key;
        bestN = n;
      }
    }
    if (best === null) return;
    const [a, b] = best.split(' ') as [string, string];
    if (vocab.has(a + b)) return;
    addMerge(a, b);
    words = words.map(({ symbols, n }) => ({ symbols: applyMerge(symbols, a, b), n }));
  }
}

function applyMerge(symbols: string[], a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === a && symbols[i + 1] === b) {
      out.push(a + b);
      i++;
    } else out.push(symbols[i]!);
  }
  return out;
}

/** Deterministic merges of an existing token with a byte until the vocabulary is full. */
function fillMerges(
  bytes: string[],
  vocabSize: number,
  vocab: Map<string, number>,
  addMerge: (a: string, b: string) => void,
): void {
  const rng = new Random(0x5eed);
  const tokens = [...vocab.keys()].slice(SPECIAL_TOKENS.length);
  const lengths = new Map<string, number>(tokens.map((t) => [t, [...t].length]));
  while (vocab.size < vocabSize) {
    const a = tokens[rng.int(tokens.length)]!;
    const b = bytes[rng.int(256)]!;
    const len = (lengths.get(a) ?? 0) + 1;
    if (len > MAX_FILLER_LEN || vocab.has(a + b)) continue;
    addMerge(a, b);
    tokens.push(a + b);
    lengths.set(a + b, len);
  }
}
