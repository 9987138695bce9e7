"""Measure training speed (forward + backward + AdamW step) at several sequence lengths.

Usage: /usr/bin/python3 -m trainer.bench --threads 2 --lengths 256,1024,4096 --tokens 8192
"""

import argparse

if __name__ == "__main__":
    from .cpu_env import prepare

    prepare(default_threads=2)

import random  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from . import bpe, dataset  # noqa: E402
from .model import Decoder, default_config  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lengths", default="256,1024,4096")
    ap.add_argument("--tokens", type=int, default=8192, help="tokens per measured step")
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    tok = bpe.Tokenizer.load("weights/tokenizer.json")
    model = Decoder(default_config(4096, a.layers)).to(a.device)
    opt = torch.optim.AdamW(model.parameters(), 1e-4)
    rng = random.Random(0)
    for L in [int(x) for x in a.lengths.split(",")]:
        n = max(1, a.tokens // L)
        ids, tgt, w, _ = (t.to(a.device) for t in dataset.make_batch(tok, rng, n, L, 0.1))
        rates = []
        for _ in range(a.steps + 1):
            t0 = time.time()
            logits = model(ids)
            ce = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.view(-1), reduction="none")
            ((ce * w.view(-1)).sum() / w.sum()).backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            if a.device == "cuda":
                torch.cuda.synchronize()
            rates.append(ids.numel() / (time.time() - t0))
        print(f"length {L} batch {n} x {ids.shape[1]}: {max(rates[1:]):.0f} tokens/s (best of {a.steps})", flush=True)


if __name__ == "__main__":
    main()
