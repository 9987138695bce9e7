"""How surely a model copies the letters of an access code: the probability of the code's first
letter token after "<digits>-" in the reply, with the code's needle in the NIAH haystack.

Usage: /usr/bin/python3 -m trainer.copy_probe --weights weights --codes 8191-LE,8191-RK
       [--merged-capitals]  (encode capitals as the tokenizer did before session 10: letter pairs
                             become BPE words such as "LE")
"""

import argparse
import os
import re

import torch

from .evaluate import load
from .train_tokenizer import render_chat

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OLD_PATTERN = r" ?[A-Za-z]+| ?[0-9]| ?[^\s0-9A-Za-z]+|\s+(?!\S)|\s+"
PLACES = [(4000, 0.0), (4000, 0.5), (8000, 0.5), (8000, 1.0)]  # haystack characters, needle depth


def with_needle(hay, needle, chars, depth):
    """The first `chars` characters of the haystack with the needle after the sentence at depth."""
    h = hay[:chars]
    if depth >= 1:
        return h.rstrip() + " " + needle
    cut = h.rfind(". ", 0, int(len(h) * depth) + 2) + 2 if depth > 0 else 0
    return h[:cut] + needle + " " + h[cut:]


@torch.no_grad()
def letter_probability(model, tok, hay, code, chars, depth):
    """(probability of the code's first letter token after its "-", the three likeliest tokens)."""
    digits, letters = code.split("-")
    needle = f"Staff who need the east garage use the code {code} at the door."
    doc = with_needle(hay, needle, chars, depth)
    messages = [{"role": "user", "content": f"{doc}\n\nWhat is the access code for the east garage?"}]
    ids = tok.encode(render_chat(messages, True) + f"The access code for the east garage is {digits}-")
    probs = model(torch.tensor([ids]))[0, -1].softmax(-1)
    want = tok.encode(letters)[0]
    return float(probs[want]), [tok.vocab[int(i)] for i in probs.topk(3).indices]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="weights")
    ap.add_argument("--codes", default="8191-LE,8191-RK,5273-LE,8191-QF,4720-ER,8191-ST")
    ap.add_argument("--merged-capitals", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for code in a.codes.split(","):
        if not re.fullmatch(r"[0-9]+-[A-Z]+", code):
            raise SystemExit(f"--codes: {code!r} is not digits-LETTERS (like 8191-LE)")
    model, tok = load(a.weights)
    if a.merged_capitals:
        tok.use_pattern(OLD_PATTERN)
    with open(os.path.join(HERE, "samples", "niah-haystack.txt")) as f:
        hay = f.read()
    print("code      " + "  ".join(f"{c}ch@{d:<4}" for c, d in PLACES))
    for code in a.codes.split(","):
        cells = [letter_probability(model, tok, hay, code, c, d) for c, d in PLACES]
        print(f"{code:9} " + "  ".join(f"{p:.2f} {'/'.join(top)[:14]:14}" for p, top in cells))


if __name__ == "__main__":
    main()
