"""Would SnapKV-style selection keep the answer? Window scores of a checkpoint on held-out documents.

For each held-out document (seed 5151, not a training seed) the prompt's last W positions score
every earlier position as compresskv.md "Window scores" says (softmax rows summed over the
window, average-pooled with kernel 5). Printed per layer: for each query head, the share of
documents whose whole answer value lies in that head's top B - W positions; and the same for the
mean over each KV group's heads (what SnapKV keeps per KV head) and over the best 4 heads by this
share (about what CompressKV keeps with well-ranked retrieval heads). With --calibration DIR, also
what CompressKV keeps with that calibration: the mean over heads.json's top 4 heads of each layer,
at the layer's error-aware budget from layer-scores.json (select_eviction.error_aware_budgets).
Usage: /usr/bin/python3 -m trainer.window_check runs/x/checkpoint.pt [--lengths 1024,2048] [--n 12] [--budget 64]
       [--calibration weights/calibration] [--dense 1] [--report 1]
"""

import argparse
import random

import torch

from . import bpe, dataset, select_eviction
from .model import load_checkpoint


def pooled_window_scores(probs, T, window, kernel=5):
    """[H, T - window] pooled scores of one layer's attention probs [H, S, S] for a T-token prompt."""
    return select_eviction.pool_window_sums(probs[:, T - window : T, : T - window].float().sum(1), kernel)


def value_positions(ids, value_ids):
    """Document positions of the last copy of value_ids before the reply, or []."""
    at = dataset._find_run(ids, value_ids)
    return list(range(at, at + len(value_ids))) if at >= 0 else []


@torch.no_grad()
def check(model, tok, L, n, budget, window=dataset.WINDOW, seed=5151, calibration=None, dense=0.0, report=0.0):
    """(per-head shares [layers, H], per-KV-group shares [layers, G], best 4 [(heads, share)] per
    layer, CompressKV [(layer budget, share)] per layer or None). calibration: (heads.json's
    rankings by layer, layer scores) or None. dense: share of documents as dense as the sample PDFs; report: share built like them."""
    rng = random.Random(seed)
    c = model.config
    H, G = c["num_attention_heads"], c["num_key_value_heads"]
    hits = torch.zeros(c["num_hidden_layers"], H)
    group_hits = torch.zeros(c["num_hidden_layers"], G)
    scores_kept = []
    for _ in range(n):
        ids, tgt, w, am, vm = dataset.make_batch(tok, rng, 1, L, 0.0, value_mask=True, dense_share=dense,
                                                 report_share=report)
        first = vm[0].nonzero().flatten()
        T = int(am[0].nonzero().flatten()[0]) + 1  # the reply's first token position = prompt length
        value = tgt[0, first].tolist()
        pos = value_positions(ids[0, :T].tolist(), value)
        _, probs = model(ids[:, :T], return_probs=True)
        layer_sets = []
        for layer, p in enumerate(probs):
            sc = pooled_window_scores(p[0], T, window)
            k = min(budget - window, sc.shape[1])
            for h in range(H):
                hits[layer, h] += float(all(q in set(sc[h].topk(k).indices.tolist()) for q in pos))
            for g in range(G):
                heads = list(range(g * H // G, (g + 1) * H // G))
                kept = set(sc[heads].mean(0).topk(k).indices.tolist())
                group_hits[layer, g] += float(all(q in kept for q in pos))
            layer_sets.append((sc, k, pos))
        scores_kept.append(layer_sets)
    hits /= n
    group_hits /= n
    best4 = []
    for layer in range(len(hits)):
        heads = hits[layer].argsort(descending=True)[:4].tolist()
        ok = sum(float(all(q in set(sets[layer][0][heads].mean(0).topk(sets[layer][1]).indices.tolist())
                           for q in sets[layer][2])) for sets in scores_kept) / n
        best4.append((heads, ok))
    compress = None
    if calibration:
        ranked, layer_scores = calibration
        compress = []
        for layer, b in enumerate(select_eviction.error_aware_budgets(layer_scores, budget)):
            heads = ranked[layer][:4]
            ok = 0.0
            for sets in scores_kept:
                sc, _, pos = sets[layer]
                kept = set(sc[heads].mean(0).topk(min(b - window, sc.shape[1])).indices.tolist())
                ok += float(all(q in kept for q in pos)) / n
            compress.append((b, ok))
    return hits, group_hits, best4, compress


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--tokenizer", default="weights", help="folder with tokenizer.json")
    ap.add_argument("--lengths", default="1024,2048")
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--budget", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--calibration", default="", help="folder with heads.json and layer-scores.json")
    ap.add_argument("--dense", type=float, default=0.0,
                    help="share of documents with as many facts as a sample PDF (train.py --dense-facts)")
    ap.add_argument("--report", type=float, default=0.0,
                    help="share of documents built like the sample PDFs (train.py --report-docs)")
    a = ap.parse_args()
    calibration = select_eviction.load_calibration(a.calibration) if a.calibration else None
    torch.set_num_threads(a.threads)
    model, _ = load_checkpoint(a.checkpoint)
    tok = bpe.Tokenizer.load(f"{a.tokenizer}/tokenizer.json")
    for L in (int(x) for x in a.lengths.split(",")):
        hits, group_hits, best4, compress = check(model, tok, L, a.n, a.budget, calibration=calibration, dense=a.dense,
                                                 report=a.report)
        print(f"length {L}, budget {a.budget}: share of documents whose whole value is kept")
        for layer in range(len(hits)):
            heads = " ".join(f"{x:.2f}" for x in hits[layer].tolist())
            groups = " ".join(f"{x:.2f}" for x in group_hits[layer].tolist())
            line = f"  layer {layer}: heads [{heads}]  KV groups [{groups}]  best 4 {best4[layer][0]}: {best4[layer][1]:.2f}"
            if compress:
                line += f"  CompressKV ({compress[layer][0]} entries): {compress[layer][1]:.2f}"
            print(line)


if __name__ == "__main__":
    main()
