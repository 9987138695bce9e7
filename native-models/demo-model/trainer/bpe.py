"""Byte-fallback BPE: trainer, encoder and export to a Hugging Face tokenizer.json.

Design (mirrored exactly by the exported tokenizer.json):
- Specials <|endoftext|>, <|im_start|>, <|im_end|> are split out first (added tokens).
- Pre-tokenizer: a GPT-style regex split (behaviour Isolated): a capital letter not followed by a
  lower-case one, alone (so "KRY708" is K, R, Y and then digits, session 10), a word with its
  leading space, one digit (with an optional leading space: numbers are digit by digit, so a
  code copied from a document is the same token ids in the answer), punctuation runs, whitespace
  runs. Codes are thus made of ~34 frequent tokens; before, a letter pair was often one of ~300
  rare merged tokens ("LE", "QF", "VG"), which the model copied with 2-20% probability.
- Model: BPE over characters inside each piece; characters outside the learned alphabet fall
  back to their UTF-8 bytes <0x00>..<0xFF>, so any text (any PDF) encodes.
- Decoder: ByteFallback + Fuse (spaces are ordinary characters, so no Metaspace bookkeeping).
"""

from collections import Counter, defaultdict
import json
import re

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# Written for both Python `re` and the Oniguruma/JS engines used by tokenizers.
PATTERN = r" ?[A-Z](?![a-z])| ?[A-Za-z]+| ?[0-9]| ?[^\s0-9A-Za-z]+|\s+(?!\S)|\s+"
BYTE_TOKENS = [f"<0x{b:02X}>" for b in range(256)]
_SPECIAL_RE = re.compile("(" + "|".join(re.escape(s) for s in SPECIALS) + ")")
_PIECE_RE = re.compile(PATTERN)


def pieces(text):
    return _PIECE_RE.findall(text)


def train(texts, vocab_size=4096, min_char_freq=20, log=None):
    """Learn merges from texts. Returns (vocab list, merges list of (a, b))."""
    words = Counter()
    for t in texts:
        for seg in _SPECIAL_RE.split(t):
            if seg and seg not in SPECIALS:
                words.update(pieces(seg))
    chars = Counter()
    for w, c in words.items():
        for ch in w:
            chars[ch] += c
    printable = [chr(i) for i in range(32, 127)] + ["\n"]
    alphabet = sorted(set(printable) | {ch for ch, c in chars.items() if c >= min_char_freq})
    vocab = SPECIALS + BYTE_TOKENS + alphabet
    known = set(vocab)
    # Words as symbol lists; unknown characters stay single symbols that never merge.
    seqs = [[list(w), c] for w, c in words.items()]
    pair_counts = Counter()
    where = defaultdict(set)
    for i, (sym, c) in enumerate(seqs):
        for a, b in zip(sym, sym[1:]):
            pair_counts[(a, b)] += c
            where[(a, b)].add(i)
    merges = []
    while len(vocab) < vocab_size:
        best = None
        for p, c in pair_counts.items():
            if p[0] in known and p[1] in known and c > 0:
                if best is None or c > best[1] or (c == best[1] and p < best[0]):
                    best = (p, c)
        if best is None or best[1] < 2:
            break
        (a, b), _ = best
        new = a + b
        merges.append((a, b))
        vocab.append(new)
        known.add(new)
        for i in list(where[(a, b)]):
            sym, c = seqs[i]
            for p in zip(sym, sym[1:]):
                pair_counts[p] -= c
            out, j = [], 0
            while j < len(sym):
                if j + 1 < len(sym) and sym[j] == a and sym[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(sym[j])
                    j += 1
            seqs[i][0] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += c
                where[p].add(i)
        del pair_counts[(a, b)]
        if log and len(merges) % 500 == 0:
            log(f"merges {len(merges)} vocab {len(vocab)}")
    return vocab, merges


class Tokenizer:
    """Encoder/decoder with exactly the semantics of the exported tokenizer.json."""

    def __init__(self, vocab, merges):
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.cache = {}
        self.special_ids = {s: self.ids[s] for s in SPECIALS}
        self.piece_re = _PIECE_RE  # the pre-tokenizer split; use_pattern() changes it

    def use_pattern(self, pattern):
        """Splits text with another pre-tokenizer regex from now on (diagnostics: copy_probe)."""
        self.piece_re = re.compile(pattern)

    def _bpe(self, piece):
        hit = self.cache.get(piece)
        if hit is not None:
            return hit
        sym = list(piece)
        while len(sym) > 1:
            best, bi = None, -1
            for i in range(len(sym) - 1):
                r = self.ranks.get((sym[i], sym[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            sym[bi : bi + 2] = [sym[bi] + sym[bi + 1]]
        out = []
        for s in sym:
            if s in self.ids:
                out.append(self.ids[s])
            else:
                out.extend(self.ids[f"<0x{b:02X}>"] for b in s.encode("utf-8"))
        self.cache[piece] = out
        return out

    def encode(self, text):
        ids = []
        for seg in _SPECIAL_RE.split(text):
            if not seg:
                continue
            if seg in self.special_ids:
                ids.append(self.special_ids[seg])
            else:
                for p in self.piece_re.findall(seg):
                    ids.extend(self._bpe(p))
        return ids

    def decode(self, ids):
        out, pending = [], bytearray()
        for i in ids:
            t = self.vocab[i]
            if len(t) == 6 and t.startswith("<0x") and t.endswith(">"):
                pending.append(int(t[3:5], 16))
                continue
            if pending:
                out.append(pending.decode("utf-8", errors="replace"))
                pending = bytearray()
            out.append(t)
        if pending:
            out.append(pending.decode("utf-8", errors="replace"))
        return "".join(out)

    def count(self, text):
        return len(self.encode(text))

    def to_json(self):
        added = [
            {"id": self.ids[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for s in SPECIALS
        ]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "Split", "pattern": {"Regex": PATTERN}, "behavior": "Isolated", "invert": False},
            "post_processor": None,
            "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"}]},
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": True, "ignore_merges": False,
                "vocab": {t: i for i, t in enumerate(self.vocab)},
                "merges": [list(m) for m in self.merges],
            },
        }

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            j = json.load(f)
        vocab = sorted(j["model"]["vocab"], key=j["model"]["vocab"].get)
        return cls(vocab, [tuple(m) for m in j["model"]["merges"]])
