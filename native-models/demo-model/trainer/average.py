"""Interpolate the weights of two checkpoints of the same model and export the result.

    /usr/bin/python3 -m trainer.average runs/start/checkpoint.pt runs/table/checkpoint.pt \
        --t 0.7 --run runs/mix --export runs/mix/weights

Why: a fine-tuning stage on a narrow change (stage 5: facts in tables) fixed what it targeted but
lost some of what the stage before it had (a needle at the document's start); a mix of the two
(t = 0.7 shipped, 0.5 also measured) kept most of both (README.md, "Stage 5"). Writes a checkpoint.pt that
`train.py --init-from` accepts, and with --export the Hugging Face folder.
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="checkpoint.pt or exported folder (e.g. weights) at t = 0")
    ap.add_argument("b", help="checkpoint.pt or exported folder at t = 1 (its config, step and token counts are kept)")
    ap.add_argument("--t", type=float, default=0.5)
    ap.add_argument("--run", required=True, help="folder for the averaged checkpoint.pt")
    ap.add_argument("--export", default="", help="also export a Hugging Face folder here")
    ap.add_argument("--tokenizer", default=os.path.join(os.path.dirname(__file__), "..", "weights"))
    a = ap.parse_args()
    if not 0.0 <= a.t <= 1.0:
        ap.error(f"--t must be in [0, 1], got {a.t}")
    ck_a, ck_b = load_checkpoint(a.a)[1], load_checkpoint(a.b)[1]
    if ck_a["config"] != ck_b["config"]:
        ap.error("the two checkpoints have different configs")
    state = interpolate(ck_a["model"], ck_b["model"], a.t)
    os.makedirs(a.run, exist_ok=True)
    meta = {"averaged": [a.a, a.b], "t": a.t}
    torch.save({"model": state, "config": ck_b["config"], "step": ck_b["step"], "tokens": ck_b["tokens"],
                "minutes": ck_b.get("minutes", 0.0), **meta}, os.path.join(a.run, "checkpoint.pt"))
    if a.export:
        model = Decoder(ck_b["config"])
        model.load_state_dict(state)
        export.export(model, a.tokenizer, a.export, {"steps": ck_b["step"], "tokens": ck_b["tokens"], **meta})
    print(f"averaged with t = {a.t}: {a.run}/checkpoint.pt" + (f", exported to {a.export}" if a.export else ""))


if __name__ == "__main__":
    main()
