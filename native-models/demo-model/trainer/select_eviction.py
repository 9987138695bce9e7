"""KV eviction while training, chosen the way the app chooses it (compresskv.md), not at random.

eviction.py hides random positions from the reply but always keeps what the reply copies (its
sources +-2) in every layer. The app's CompressKV does not: at the default budget of 256 its
error-aware budgets give layer 1 only 114 entries, the one set that layer's retrieval heads pick
can miss the first token of a value stated before its key, and the reply then copies a twin's
value (demo README, "What remains"). Here a share of the evicted rows instead see, from the
reply's second token on, exactly what the app would have kept: each layer's window scores from
its own attention in the same forward pass (the prompt is read with the full cache, as in the
app), then CompressKV's retrieval heads and per-layer budgets, or SnapKV's per-KV-head sets.
The question turn (the row's last `tail` prompt positions) is kept whole, as the app keeps it.
No gradient flows through the choice; the model learns to answer from what a real selection keeps.
"""

import json
import os

import torch
import torch.nn.functional as Fn

from . import eviction

WINDOW, KERNEL = 8, 5


def load_calibration(folder):
    """(per-layer head rankings, best first, from heads.json; layer scores from layer-scores.json)
    of a calibration folder written by the app's `calibrate` (e.g. weights/calibration)."""
    with open(os.path.join(folder, "heads.json")) as f:
        ranked = {int(k): v for k, v in json.load(f).items()}
    with open(os.path.join(folder, "layer-scores.json")) as f:
        scores = json.load(f)["avg_score"]
    return [ranked[k] for k in sorted(ranked)], scores


def error_aware_budgets(scores, budget, minimum=32):
    """Per-layer budgets from layer scores (sum 1), total budget x L, clipped to [minimum, 3 x budget].

    compresskv.md, "Budgets (error-aware allocation)": round half to even, then round-robin passes
    that add to the layers below the maximum by decreasing score (or take from those above the
    minimum by increasing score) until the total is met. Ties keep layer order.
    """
    L = len(scores)
    total, cap = budget * L, 3 * budget
    b = [min(cap, max(minimum, minimum + round(e * (total - L * minimum)))) for e in scores]
    order_down = sorted(range(L), key=lambda l: -scores[l])
    order_up = sorted(range(L), key=lambda l: scores[l])
    while sum(b) != total:
        diff = total - sum(b)
        walk = [l for l in order_down if b[l] < cap] if diff > 0 else [l for l in order_up if b[l] > minimum]
        if not walk:
            break
        for l in walk:
            if sum(b) == total:
                break
            b[l] += 1 if diff > 0 else -1
    return b


def window_scores(logits, T, window=WINDOW, kernel=KERNEL):
    """Pooled window scores [heads, T - window] of one row from one layer's attention logits.

    logits: [heads, S, S] with the causal mask applied (before softmax). Rows T-window..T-1 are the
    observation window; their softmax (float32) summed over rows, for prefix columns j < T-window,
    then averaged over `kernel` neighbours with zero padding, always divided by `kernel`.
    """
    p = logits[:, T - window : T, :T].float().softmax(-1)
    return pool_window_sums(p[:, :, : T - window].sum(1), kernel)


def pool_window_sums(s, kernel=KERNEL):
    """[H, n] window sums -> each column averaged with its kernel // 2 neighbours each side, zero
    padding, always divided by kernel (compresskv.md, "Window scores", step 4)."""
    return Fn.avg_pool1d(s[:, None, :], kernel, stride=1, padding=kernel // 2, count_include_pad=True)[:, 0, :]


def kept_prefix(score, T, tail, b):
    """Bool [T]: the top (b - tail) positions before the tail by `score` ([T - window]), plus the tail.

    Mirrors the app's keepTopWithWindow: b >= T keeps everything; b <= tail keeps the b latest.
    """
    keep = torch.zeros(T, dtype=torch.bool)
    if b >= T:
        keep[:] = True
        return keep
    if b <= tail:
        keep[T - b :] = True
        return keep
    top = score[: T - tail].topk(b - tail).indices
    keep[top] = True
    keep[T - tail :] = True
    return keep


def pick_rows(amask, qstart, p_row, gen, window=WINDOW):
    """[(b, t0, t1, tail)] for the rows (each with probability p_row) that have a first reply and a
    question start: t0..t1 are the reply's positions (eviction.first_reply) and tail = t0 - qstart,
    the question turn the app keeps whole (at least the window)."""
    out = []
    for b in range(amask.shape[0]):
        span = eviction.first_reply(amask[b])
        if span is None or qstart[b] < 0 or torch.rand(1, generator=gen).item() >= p_row:
            continue
        t0, t1 = span
        tail = max(window, t0 - int(qstart[b]))
        if t1 >= t0 and t0 - tail > 0:
            out.append((b, t0, t1, tail))
    return out


class LayerSelection:
    """The evict entry of one layer (model.Attention calls it with the layer's attention logits).

    rows: [(b, t0, t1, tail, plan)] with t0..t1 the first reply's positions (t0 = its first token,
    so the prompt is 0..t0-1) and plan {"kind": "shared", "heads": [...], "budget": n} for
    CompressKV or {"kind": "per-kv-head", "budget": n} for SnapKV. base: an additive mask of the
    other rows (eviction.eviction_masks) to add to, or None.
    """

    def __init__(self, rows, kv_heads, base=None):
        self.rows, self.kv_heads, self.base = rows, kv_heads, base

    def __call__(self, logits):
        n, H, S, _ = logits.shape
        rep = H // self.kv_heads
        mask = torch.zeros(n, self.kv_heads, 1, S, S, device=logits.device)
        if self.base is not None:
            mask += self.base
        with torch.no_grad():
            for b, t0, t1, tail, plan in self.rows:
                T = t0
                if plan["budget"] >= T:
                    continue
                pooled = window_scores(logits[b], T).cpu()
                if plan["kind"] == "shared":
                    keep = kept_prefix(pooled[plan["heads"]].mean(0), T, tail, plan["budget"])
                    keeps = [keep] * self.kv_heads
                else:
                    keeps = [kept_prefix(pooled[g * rep : (g + 1) * rep].mean(0), T, tail, plan["budget"])
                             for g in range(self.kv_heads)]
                for g, keep in enumerate(keeps):
                    row = torch.zeros(T).masked_fill(~keep, float("-inf")).to(logits.device)
                    mask[b, g, 0, t0 : t1 + 1, :T] = row
        return mask


def plans(rows, layers, heads, layer_scores, gen, budgets=(64, 128, 256, 256, 512), compress_share=0.7):
    """Per layer, the LayerSelection rows [(b, t0, t1, tail, plan)] for rows [(b, t0, t1, tail)]:
    each row draws a budget and a method (CompressKV with the calibration's top-4 heads and
    error-aware budgets, else SnapKV)."""
    per_layer = [[] for _ in range(layers)]
    for b, t0, t1, tail in rows:
        B = budgets[int(torch.randint(len(budgets), (1,), generator=gen))]
        if torch.rand(1, generator=gen).item() < compress_share:
            for l, bl in enumerate(error_aware_budgets(layer_scores, B)):
                per_layer[l].append((b, t0, t1, tail, {"kind": "shared", "heads": heads[l][:4], "budget": bl}))
        else:
            for l in range(layers):
                per_layer[l].append((b, t0, t1, tail, {"kind": "per-kv-head", "budget": B}))
    return per_layer
