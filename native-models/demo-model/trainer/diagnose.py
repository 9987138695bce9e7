"""Copy diagnostics of a training checkpoint: repeat-task loss, key/value-list and document value accuracy.

Teacher-forced, on held-out rows (seed 4242): the loss on the second half of a repeated random
sequence falls from about ln(vocab) to near 0 once induction heads exist; value_acc is the share
of replies whose copied value is right token for token.
Usage: /usr/bin/python3 -m trainer.diagnose runs/x/checkpoint.pt [--lengths 256] [--n 24]
"""

import argparse
import random

import torch

from . import bpe, dataset
from .model import load_checkpoint


@torch.no_grad()
def diagnose(model, tok, L, n, seed=4242):
    rng = random.Random(seed)
    out = {}
    for name, kw in (("repeat", {"repeat_frac": 1.0}), ("kv", {"kv_frac": 1.0}), ("doc", {})):
        ids, tgt, w, am, vm = dataset.make_batch(tok, rng, n, L, 0.0, value_mask=True, **kw)
        logits = model(ids)
        ce = torch.nn.functional.cross_entropy(logits.transpose(1, 2), tgt, reduction="none")
        pred = logits.argmax(-1)
        if name == "repeat":
            m = w > 0
            out[name] = {"loss": round(ce[m].mean().item(), 3), "tok_acc": round((pred[m] == tgt[m]).float().mean().item(), 3)}
        else:
            ok = sum(int((pred[r][vm[r]] == tgt[r][vm[r]]).all()) for r in range(n))
            out[name] = {"value_acc": round(ok / n, 3), "value_tok_acc": round((pred[vm] == tgt[vm]).float().mean().item(), 3),
                         "value_loss": round(ce[vm].mean().item(), 3)}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--tokenizer", default="weights")
    ap.add_argument("--lengths", default="256")
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, ck = load_checkpoint(a.checkpoint)
    tok = bpe.Tokenizer.load(f"{a.tokenizer}/tokenizer.json")
    for L in [int(x) for x in a.lengths.split(",")]:
        print(L, {"step": ck["step"], "tokens": ck["tokens"]}, diagnose(model, tok, L, a.n), flush=True)


if __name__ == "__main__":
    main()
