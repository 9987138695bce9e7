"""Teacher-forced reply accuracy of an exported model, per fact kind, facts in tables or in prose.

For each kind, documents of one length whose asked fact is of that kind (with the usual near-miss
twins) are generated; the prompt plus the reference reply go through the model once, and a
sample counts when the greedy token at every reply position equals the reference (one forward
pass per sample, so it is fast enough to compare checkpoints on 2 cores). Only the reply up to
the end of the value is checked (a stock reply's unit after it is not part of the lookup).
`--table-share 1` puts
the asked fact and its twins in a table, as the sample PDFs hold roles, stock and some codes.
Each kind's count is split by which key part the asked fact shares with a near-miss twin
(twin_class): a model that matches only the key word next to the value gets "shares city" stock
rows wrong and "shares mat" ones right.
Those counts alone do not show that the model tells the twins apart: where it ignores the material,
it still gets about half of the "shares city" rows right by its preference for some digits over
others (session 26: the sample PDF's coal row loses to its twin's 46, and wins against a 57). So
the same document is also asked about each twin (twin_pair), and a pair counts only when both
answers are right: for stock twins in one town, whose replies start with the same words, a model
that answers without reading the question's material gets no pair right.
Usage: /usr/bin/python3 -m trainer.kind_eval --weights weights --kinds role,code,stock,date --n 16
"""

import argparse
import json
import random
import time

import torch

from . import datagen
from . import facts as F
from .evaluate import load
from .train_tokenizer import render_chat


def checked_reply(tok, answer, value):
    """The reply's token ids up to the end of `value` (all of them when that is not a token edge)."""
    ids = tok.encode(answer)
    at = answer.find(value)
    if at < 0:
        return ids
    head = tok.encode(answer[:at + len(value)])
    return head if ids[:len(head)] == head else ids


@torch.no_grad()
def reply_correct(model, prompt_ids, reply_ids):
    """True when greedy decoding, fed the reference reply, predicts every reply token."""
    logits = model(torch.tensor([prompt_ids + reply_ids]))[0]
    start = len(prompt_ids) - 1
    predicted = logits[start:start + len(reply_ids)].argmax(-1).tolist()
    return predicted == list(reply_ids)


def twin_class(sample):
    """How the asked fact's near-miss twins differ from it: "shares city" when a twin has the same
    town (so the other key part must be matched), "shares city+mat" when twins share each part,
    "no twin" when none shares a key part."""
    return "shares " + "+".join(sample["twins"]) if sample["twins"] else "no twin"


def twin_pair(sample, twin, rng):
    """(messages, answer, value) asking sample's document about `twin` instead of the asked fact:
    the same messages but for the question at the end of the last one."""
    question = F.question(twin, rng)
    messages = [dict(m) for m in sample["messages"]]
    content = messages[-1]["content"]
    if not content.endswith(sample["question"]):
        raise ValueError("the sample's user message does not end with its question (datagen.wrap_user)")
    messages[-1]["content"] = content[: len(content) - len(sample["question"])] + question
    return messages, datagen.answer_text(twin), twin.value


def kind_breakdown(model, tok, kind, n, length, table_share, seed, value_first_share=0.0, pairs=None):
    """{twin_class: [right, asked]} over n generated samples asking about `kind`: a sample is right
    when its reply is predicted exactly up to the end of the value. value_first_share: how often
    every fact of the kind is a sentence worded value first (datagen.make_document).
    pairs: a dict that gets {key part: [pairs both right, pairs asked]}, where each pair is a
    sample and the same document asked about its twin sharing that part (twin_pair)."""
    if kind not in F.KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds: {', '.join(F.KINDS)}")
    rng = random.Random(f"{seed}:{kind}")
    # The twins' questions draw from their own stream, so the samples stay those of earlier runs.
    pair_rng = random.Random(f"{seed}:{kind}:pairs")
    weights = {k: (1.0 if k == kind else 0.0) for k in F.KINDS}

    def right(messages, answer, value):
        return reply_correct(model, tok.encode(render_chat(messages, True)), checked_reply(tok, answer, value))

    out = {}
    for _ in range(n):
        s = datagen.make_sample(rng, length - 45, tok.count, kind_weights=weights, table_share=table_share,
                                value_first_share=value_first_share)
        ok = right(s["messages"], s["answer"], s["value"])
        cell = out.setdefault(twin_class(s), [0, 0])
        cell[0] += ok
        cell[1] += 1
        if pairs is not None:
            for part, twin in sorted(s["twins"].items()):
                asked = twin_pair(s, twin, pair_rng)  # drawn every time: the same questions for any model
                pair = pairs.setdefault(part, [0, 0])
                pair[0] += ok and right(*asked)
                pair[1] += 1
    return out


def right_share(parts):
    """The share of all samples in a kind_breakdown result that were right."""
    return sum(r for r, _ in parts.values()) / sum(m for _, m in parts.values())


def kind_accuracy(model, tok, kind, n, length, table_share, seed, value_first_share=0.0):
    """Share of n generated samples asking about `kind` whose reply is predicted exactly."""
    return right_share(kind_breakdown(model, tok, kind, n, length, table_share, seed, value_first_share))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="weights")
    ap.add_argument("--kinds", default="role,code,stock,date")
    ap.add_argument("--n", type=int, default=16, help="samples per kind")
    ap.add_argument("--length", type=int, default=2048, help="prompt tokens")
    ap.add_argument("--table-share", type=float, default=1.0,
                    help="share of samples whose fact is in a table (kinds with a table form)")
    ap.add_argument("--value-first-share", type=float, default=0.0,
                    help="share of samples whose facts of the kind are all sentences worded value first")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--stock-reply", default="town", choices=sorted(F.STOCK_REPLIES),
                    help="the stock reply form the weights were trained on (train.py --stock-reply)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    F.set_stock_reply(a.stock_reply)
    model, tok = load(a.weights)
    report, t0 = {}, time.time()
    for kind in a.kinds.split(","):
        pairs = {}
        parts = kind_breakdown(model, tok, kind, a.n, a.length, a.table_share, a.seed, a.value_first_share, pairs)
        report[kind] = right_share(parts)
        split = ", ".join(f"{c} {r}/{m}" for c, (r, m) in sorted(parts.items()))
        print(f"{kind}: {round(report[kind] * a.n)}/{a.n} replies right to the value ({split}; {time.time() - t0:.0f}s)",
              flush=True)
        for part, (r, m) in sorted(pairs.items()):
            print(f"  asked about it and about its twin sharing {part}: both right {r}/{m}", flush=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
