"""A/B of how fast the model learns to copy, on a pure induction task (README "Getting copying to emerge").

Rows are a random segment of 8-48 ids repeated to fill the row (a different period per row, so
only content matching predicts it); the loss is on every id after the first period. Variants:
  plain       the ordinary random start
  supervised  + attention supervision: layer 0 head 0 taught to attend to i-1, head 0 of layers
              1-3 to the earlier copy of the id they predict (train.attention_loss)
  planted     the copy circuit written into the start (copy_circuit.py), then trained as `plain`
Every --every steps it prints the training loss and, on held-out rows, the loss and accuracy on
periodic rows and on rows where one span recurs at a random place (recall.repeat_row).
Usage: /usr/bin/python3 -m trainer.copy_ab --variant plain --minutes 6 --threads 1
"""

import argparse
import json
import os
import random
import sys
import time

if __name__ == "__main__":
    _t = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = _t

import torch  # noqa: E402

from . import copy_circuit, recall  # noqa: E402
from .model import Decoder, default_config  # noqa: E402
from .train import attention_loss  # noqa: E402


def periodic_row(rng, length, vocab_lo=259, vocab_hi=4096):
    """(ids, weights, sources): a random segment repeated; position i copies i - period."""
    k = rng.randrange(8, 49)
    seg = [rng.randrange(vocab_lo, vocab_hi) for _ in range(k)]
    ids = (seg * (length // k + 1))[:length]
    weights = [0.0] * (k + 1) + [1.0] * (length - k - 1)
    sources = [-1] * (k + 1) + list(range(1, length - k))
    return ids, weights, sources


def to_batch(rows):
    ids = torch.tensor([r[0] for r in rows])
    w = torch.tensor([r[1] for r in rows])
    src = torch.tensor([r[2] for r in rows])
    # Position i predicts id i+1, whose source is src[i+1].
    return ids[:, :-1], ids[:, 1:], w[:, 1:], src[:, 1:]


@torch.no_grad()
def copy_score(model, batch):
    model.eval()
    x, y, w, _ = batch
    logits = model(x)
    ce = torch.nn.functional.cross_entropy(logits.transpose(1, 2), y, reduction="none")
    m = w > 0
    model.train()
    return round(ce[m].mean().item(), 3), round((logits.argmax(-1)[m] == y[m]).float().mean().item(), 3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=["plain", "supervised", "planted"], default="plain")
    ap.add_argument("--threads", default="1")
    ap.add_argument("--minutes", type=float, default=6.0)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--rows", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--attn-sup", type=float, default=0.5)
    ap.add_argument("--every", type=int, default=50)
    a = ap.parse_args()
    torch.set_num_threads(int(a.threads))
    torch.manual_seed(0)
    model = Decoder(default_config())
    if a.variant == "planted":
        copy_circuit.plant_copy_circuit(model)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95), weight_decay=0.05)
    rng, held = random.Random(1), random.Random(99)
    periodic = to_batch([periodic_row(held, a.length) for _ in range(8)])
    repeats = to_batch([recall.repeat_row(held, a.length) for _ in range(16)])
    t0, step = time.time(), 0
    while time.time() - t0 < a.minutes * 60:
        x, y, w, src = to_batch([periodic_row(rng, a.length) for _ in range(a.rows)])
        logits, probs = model(x, return_probs=True)
        ce = torch.nn.functional.cross_entropy(logits.transpose(1, 2), y, reduction="none")
        loss = (ce * w).sum() / w.sum()
        if a.variant == "supervised":
            loss = loss + a.attn_sup * attention_loss(probs, src, [(1, 0), (2, 0), (3, 0)])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % a.every == 0:
            print(json.dumps({"variant": a.variant, "step": step, "seconds": round(time.time() - t0),
                              "loss": round(loss.item(), 3), "periodic": copy_score(model, periodic),
                              "repeat": copy_score(model, repeats)}), flush=True)


if __name__ == "__main__":
    main()
