"""Greedy-decoding check of an exported model: held-out probes by length, and the sample PDFs.

Loads the exported folder (config.json + model.safetensors + tokenizer.json), so it checks what
the app will load, not the training checkpoint.
Usage: /usr/bin/python3 -m trainer.evaluate --weights weights --lengths 256,512,1024 --per-length 20
A reply is counted right when it holds the value, and whole when it is the expected reply exactly
(the key restated as asked: a right value under another person's name is right, not whole).
--kinds home asks about home towns only (any of facts.KINDS, comma-separated).
"""

import argparse
import json
import os
import random
import time

import torch

from . import bpe, datagen
from . import facts as F
from .model import load_exported
from .train_tokenizer import render_chat


def load(folder):
    """(model, tokenizer) from an exported folder."""
    return load_exported(folder)[0], bpe.Tokenizer.load(os.path.join(folder, "tokenizer.json"))


@torch.no_grad()
def generate(model, tok, messages, max_new=24):
    ids = tok.encode(render_chat(messages, True))
    eos = tok.special_ids["<|im_end|>"]
    out = []
    for _ in range(max_new):
        # No KV cache here: contexts are short enough and this keeps the check independent.
        nxt = int(model(torch.tensor([ids + out]))[0, -1].argmax())
        if nxt == eos:
            break
        out.append(nxt)
    return tok.decode(out), len(ids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="weights")
    ap.add_argument("--lengths", default="256,512,1024")
    ap.add_argument("--per-length", type=int, default=20)
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--samples", action="store_true", help="also ask the sample PDFs' questions")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--kinds", default="", help="ask only about these fact kinds (comma-separated)")
    a = ap.parse_args()
    kinds = [k for k in a.kinds.split(",") if k]
    unknown = sorted(set(kinds) - set(F.KINDS))
    if unknown:
        raise SystemExit(f"unknown kinds {unknown}; choose from {F.KINDS}")
    weights = {k: (1.0 if k in kinds else 0.0) for k in F.KINDS} if kinds else None
    torch.set_num_threads(a.threads)
    model, tok = load(a.weights)
    rng = random.Random(a.seed)
    report = {}
    for L in [int(x) for x in a.lengths.split(",")]:
        ok, whole, t0 = 0, 0, time.time()
        for _ in range(a.per_length):
            s = datagen.make_sample(rng, L - 45, tok.count, kind_weights=weights)
            reply, _ = generate(model, tok, s["messages"])
            ok += s["value"] in reply
            whole += reply.strip() == s["answer"].strip()
        report[L] = ok / a.per_length
        report[f"{L}-whole"] = whole / a.per_length
        print(f"length {L}: {ok}/{a.per_length} right, {whole} whole ({time.time() - t0:.0f}s)", flush=True)
    if a.samples:
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with open(os.path.join(here, "samples", "sample-docs.json"), encoding="utf-8") as f:
            docs = json.load(f)
        for doc in docs:
            text = "\n\n".join(datagen.render_block(b, "wrapped", 70, None) for b in doc["blocks"])
            ok = 0
            for q in doc["qa"]:
                reply, n = generate(model, tok, [{"role": "user", "content": f"{text}\n\n{q['question']}"}])
                ok += q["answer"] in reply
                print(f"  [{n} tok] {q['question']} -> {reply!r} (want {q['answer']})")
            report[doc["name"]] = ok / len(doc["qa"])
            print(f"{doc['name']}: {ok}/{len(doc['qa'])}", flush=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
