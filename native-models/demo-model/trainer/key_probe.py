"""Where a model holds a stock fact's material: linear probes on its residual stream.

For generated documents asking about stock in a table, the residual stream is read at two places,
at every depth (the embeddings, then the output of each layer):
- the reply's position that predicts the value's first token ("holds" in "The depot in Eldwick
  holds"): does it hold the material the question asks about?
- each table row's first value token: does it hold that row's material?
A retrieval head can only tell "coal (Eldwick)" from "candles (Eldwick)" by the material when
both hold it. A linear classifier (one class per material) is fitted on 70% of the samples and
scored on the rest; the majority class's share is printed as the floor.
Usage: /usr/bin/python3 -m trainer.key_probe --weights weights --n 300
"""

import argparse
import random
import re

import torch

from . import datagen
from . import facts as F
from .evaluate import load
from .kind_eval import checked_reply
from .model import rope_tables
from .train_tokenizer import render_chat

# A stock table row as datagen renders it: "coal (Eldwick)    23 drums" (or " | " / " " between cells).
STOCK_ROW = re.compile(r"^([a-z ]+) \(([^)\n]+)\)(?: \| | +)([\d,]+) ", re.M)


def find_runs(ids, run):
    return [i for i in range(len(ids) - len(run) + 1) if ids[i:i + len(run)] == run]


def forward_start(model, ids):
    """(embeddings [1, S, hidden], cos, sin, causal mask): what a walk through the layers of one
    prompt starts from (residuals here, query_shift.queries_and_keys)."""
    c, s = model.config, len(ids)
    cos, sin = rope_tables(torch.arange(s), c["head_dim"], c["rope_theta"], "cpu")
    mask = torch.full((s, s), float("-inf")).triu(1)
    return model.model.embed_tokens(torch.tensor([ids])), cos, sin, mask


@torch.no_grad()
def residuals(model, ids):
    """[layers + 1, len(ids), hidden]: the embeddings, then each layer's output."""
    x, cos, sin, mask = forward_start(model, ids)
    out = [x[0]]
    for layer in model.model.layers:
        x, _ = layer(x, cos, sin, mask)
        out.append(x[0])
    return torch.stack(out)


def collect(model, tok, n, length, seed):
    """n records {query [L+1, d], rows [L+1, rows, d], asked, materials}: samples whose asked fact is a
    stock row of a table with at least one other row, every row's value found once in the prompt."""
    rng = random.Random(seed)
    weights = {k: (1.0 if k == "stock" else 0.0) for k in F.KINDS}
    out = []
    while len(out) < n:
        s = datagen.make_sample(rng, length - 45, tok.count, kind_weights=weights, table_share=1.0)
        rows = STOCK_ROW.findall(s["document"])
        values = [r[2] for r in rows]
        if s["value"] not in values or len(rows) < 2:
            continue
        prompt = tok.encode(render_chat(s["messages"], True))
        at = [find_runs(prompt, tok.encode(" " + v)) for v in values]
        reply = checked_reply(tok, s["answer"], s["value"])
        j = find_runs(reply, tok.encode(" " + s["value"]))
        if any(len(a) != 1 for a in at) or not j:
            continue
        r = residuals(model, prompt + reply)
        out.append({"query": r[:, len(prompt) + j[0] - 1], "rows": r[:, [a[0] for a in at]],
                    "asked": rows[values.index(s["value"])][0], "materials": [m for m, _, _ in rows]})
    return out


def rms(x):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


def probe_accuracy(train_x, train_y, test_x, test_y, classes, steps=300, weight_decay=1e-3):
    """Test accuracy of a linear classifier (softmax regression on RMS-normed features)."""
    torch.manual_seed(0)
    w = torch.zeros(train_x.shape[1], classes, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=1e-2, weight_decay=weight_decay)
    train_x, test_x = rms(train_x.float()), rms(test_x.float())
    for _ in range(steps):
        loss = torch.nn.functional.cross_entropy(train_x @ w + b, train_y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return ((test_x @ w + b).argmax(1) == test_y).float().mean().item()


def majority_share(train_y, test_y):
    return (test_y == torch.bincount(train_y).argmax()).float().mean().item()


def report(records, train_share=0.7):
    """[(depth, query accuracy, query floor, row accuracy, row floor)] over the records."""
    names = sorted({m for r in records for m in r["materials"]})
    index = {m: i for i, m in enumerate(names)}
    cut = int(len(records) * train_share)
    out = []
    for d in range(records[0]["query"].shape[0]):
        qx = torch.stack([r["query"][d] for r in records])
        qy = torch.tensor([index[r["asked"]] for r in records])
        rx = [torch.stack([r["rows"][d][i] for i in range(len(r["materials"]))]) for r in records]
        ry = [torch.tensor([index[m] for m in r["materials"]]) for r in records]
        rtx, rty, rsx, rsy = torch.cat(rx[:cut]), torch.cat(ry[:cut]), torch.cat(rx[cut:]), torch.cat(ry[cut:])
        out.append((d, probe_accuracy(qx[:cut], qy[:cut], qx[cut:], qy[cut:], len(names)),
                    majority_share(qy[:cut], qy[cut:]), probe_accuracy(rtx, rty, rsx, rsy, len(names)),
                    majority_share(rty, rsy)))
    return out


def probe_cli(n, n_help, seed):
    """(args, model, tokenizer) for a probe of generated stock documents: --weights, --n, --length,
    --seed and --threads (shared by key_probe and query_shift)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="weights")
    ap.add_argument("--n", type=int, default=n, help=n_help)
    ap.add_argument("--length", type=int, default=512, help="prompt tokens")
    ap.add_argument("--seed", default=seed)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    return (a, *load(a.weights))


def main():
    a, model, tok = probe_cli(300, "samples (70%% fit the probes, 30%% score them)", "key-probe")
    records = collect(model, tok, a.n, a.length, a.seed)
    print("depth  asked material at the reply (floor)  row material at its value (floor)")
    for d, q, qf, r, rf in report(records):
        print(f"{d:5d}  {q:31.2f} ({qf:.2f})  {r:30.2f} ({rf:.2f})", flush=True)


if __name__ == "__main__":
    main()
