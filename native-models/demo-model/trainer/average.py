"""Interpolate the weights of two checkpoints of the same model and export the result.

    /usr/bin/python3 -m trainer.average runs/start/checkpoint.pt runs/table/checkpoint.pt \
        --t 0.7 --run runs/mix --export runs/mix/weights

Why: a fine-tuning stage on a narrow change (stage 5: facts in tables) fixed what it targeted but
lost some of what the stage before it had (a needle at the document's start); a mix of the two
(t = 0.7 shipped, 0.5 also measured) kept most of both (README.md, "Stage 5"). Writes a checkpoint.pt that
`train.py --init-from` accepts, and with --export the Hugging Face folder.

With more than two checkpoints it writes their plain mean instead (--t is not used):

    /usr/bin/python3 -m trainer.average runs/s30/ck-300.pt runs/s30/ck-350.pt ... --run runs/mean

Why: checkpoints of one run swing from one to the next on the answers that are near a tie
(session 30: the badge slip's logit margin +7.00 and +4.35 at steps 300 and 350 of `runs/s30b`);
the mean of several lies inside those swings rather than at one end of them.
"""

import argparse
import os

import torch

from . import export
from .model import Decoder, load_checkpoint


def interpolate(a, b, t):
    """(1 - t) * a + t * b for every tensor of two state dicts with the same names and shapes."""
    if set(a) != set(b):
        only = sorted(set(a) ^ set(b))[:5]
        raise ValueError(f"the checkpoints hold different tensors (e.g. {only}); are they the same model?")
    out = {}
    for name, x in a.items():
        y = b[name]
        if x.shape != y.shape:
            raise ValueError(f"{name}: shape {tuple(x.shape)} against {tuple(y.shape)}; are they the same model?")
        out[name] = ((1 - t) * x.float() + t * y.float()).to(x.dtype)
    return out


def mean(states):
    """The element-wise mean of several state dicts with the same names and shapes."""
    if len(states) < 2:
        raise ValueError("a mean needs two checkpoints or more")
    out = dict(states[0])
    for k, other in enumerate(states[1:], start=2):
        # The running mean after k states: interpolate towards the k-th with t = 1/k.
        out = interpolate(out, other, 1.0 / k)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="checkpoint.pt or exported folder (e.g. weights) at t = 0")
    ap.add_argument("b", help="checkpoint.pt or exported folder at t = 1 (the last one's config, step and token "
                              "counts are kept)")
    ap.add_argument("more", nargs="*", help="further checkpoints: with them, the plain mean of all (no --t)")
    ap.add_argument("--t", type=float, default=None, help="weight of b with two checkpoints (default 0.5)")
    ap.add_argument("--run", required=True, help="folder for the averaged checkpoint.pt")
    ap.add_argument("--export", default="", help="also export a Hugging Face folder here")
    ap.add_argument("--tokenizer", default=os.path.join(os.path.dirname(__file__), "..", "weights"))
    a = ap.parse_args()
    paths = [a.a, a.b, *a.more]
    if a.more and a.t is not None:
        ap.error(f"--t weighs two checkpoints; {len(paths)} are averaged with equal weights, so leave --t out")
    t = 0.5 if a.t is None else a.t
    if not 0.0 <= t <= 1.0:
        ap.error(f"--t must be in [0, 1], got {t}")
    cks = [load_checkpoint(p)[1] for p in paths]
    if any(ck["config"] != cks[0]["config"] for ck in cks[1:]):
        ap.error("the checkpoints have different configs")
    ck_b = cks[-1]
    if a.more:
        state, meta = mean([ck["model"] for ck in cks]), {"averaged": paths}
    else:
        state, meta = interpolate(cks[0]["model"], ck_b["model"], t), {"averaged": paths, "t": t}
    os.makedirs(a.run, exist_ok=True)
    torch.save({"model": state, "config": ck_b["config"], "step": ck_b["step"], "tokens": ck_b["tokens"],
                "minutes": ck_b.get("minutes", 0.0), **meta}, os.path.join(a.run, "checkpoint.pt"))
    if a.export:
        model = Decoder(ck_b["config"])
        model.load_state_dict(state)
        export.export(model, a.tokenizer, a.export, {"steps": ck_b["step"], "tokens": ck_b["tokens"], **meta})
    how = f"the mean of {len(paths)}" if a.more else f"averaged with t = {t}"
    print(f"{how}: {a.run}/checkpoint.pt" + (f", exported to {a.export}" if a.export else ""))


if __name__ == "__main__":
    main()
