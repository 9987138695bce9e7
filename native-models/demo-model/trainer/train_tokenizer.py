"""Train the demo tokenizer on generated documents and write tokenizer.json + tokenizer_config.json.

Usage: /usr/bin/python3 -m trainer.train_tokenizer --out weights [--docs 2500] [--seed 1234]
"""

import argparse
import json
import os
import time

from . import bpe
from . import datagen

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def tokenizer_config():
    """tokenizer_config.json: ChatML template, bos/eos, no automatic special tokens."""
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<|endoftext|>",
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "add_bos_token": False,
        "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 8192,
        "chat_template": CHAT_TEMPLATE,
        "added_tokens_decoder": {
            str(i): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": True}
            for i, s in enumerate(bpe.SPECIALS)
        },
    }


def render_chat(messages, add_generation_prompt):
    """Python rendering of CHAT_TEMPLATE (checked against the Jinja one by the JS tests' fixtures)."""
    s = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return s + ("<|im_start|>assistant\n" if add_generation_prompt else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, default=2500)
    ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    t0 = time.time()
    texts = datagen.corpus_text(a.seed, a.docs)
    print(f"corpus {sum(map(len, texts))} chars in {time.time() - t0:.1f}s", flush=True)
    vocab, merges = bpe.train(texts, a.vocab, log=print)
    tok = bpe.Tokenizer(vocab, merges)
    os.makedirs(a.out, exist_ok=True)
    tok.save(os.path.join(a.out, "tokenizer.json"))
    with open(os.path.join(a.out, "tokenizer_config.json"), "w") as f:
        json.dump(tokenizer_config(), f, indent=2)
    n_chars = sum(map(len, texts[:200]))
    n_tok = sum(len(tok.encode(t)) for t in texts[:200])
    print(f"vocab {len(vocab)} merges {len(merges)} chars/token {n_chars / n_tok:.2f} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
