"""Random KV eviction while training: a reply reads a compressed cache, as it does in the app.

Why: the app prefills the prompt with the full cache, compresses, then decodes the reply over the
kept positions only (compresskv.md, "When compression happens"). A model trained only on full
caches may use heads that average the whole document (measured on the first copy-circuit run:
layer 0 heads 4-7 at 0.92-0.96 of a uniform row's entropy); every eviction then shifts those
averages and the reply degrades more than the kept tokens explain. Here a share of the training
rows see, from the reply's second token on, only: the tokens the answer copies (with a few
neighbours, as the pooling of SnapKV-style scores keeps them), the observation window, and a
random share of the rest, drawn per layer and per KV head. The reply's first token is predicted
from the last prompt position, which in the app still reads the full cache, so it is unmasked.
"""

import math

import torch


def first_reply(amask_row):
    """(t0, t1): the first reply's tokens sit at positions t0..t1 (t0 = first reply token), or None.

    amask_row[i] marks the positions that predict an answer token (position i predicts i+1).
    """
    idx = amask_row.nonzero().flatten().tolist()
    if not idx:
        return None
    i0 = i1 = idx[0]
    while i1 + 1 < len(amask_row) and amask_row[i1 + 1]:
        i1 += 1
    return i0 + 1, i1


def eviction_masks(amask, src, layers, kv_heads, window, gen, p_row=0.5, r_min=0.01, r_max=0.6, radius=2,
                   force=False, keep=None):
    """Additive masks [n, kv_heads, 1, S, S] per layer (0 = visible, -inf = evicted), or None.

    Rows of the batch are evicted with probability p_row (all of them with force). A row's prefix
    (positions before its observation window) keeps its copy sources (src >= 0 in the window and
    the first reply, +-radius) and each other position with probability r, r log-uniform in
    [r_min, r_max] per row and layer (keep: a fixed r instead, e.g. 0 for sources only).
    """
    n, S = amask.shape
    masks = None
    for b in range(n):
        span = first_reply(amask[b])
        if span is None or not (force or torch.rand(1, generator=gen).item() < p_row):
            continue
        t0, t1 = span
        prefix = t0 - window
        if prefix <= 0 or t1 < t0:
            continue
        s = src[b, max(0, t0 - window - 1) : t1 + 1]
        pinned = torch.zeros(prefix, dtype=torch.bool)
        for p in s[s >= 0].tolist():
            pinned[max(0, p - radius) : min(prefix, p + radius + 1)] = True
        if masks is None:
            masks = [torch.zeros(n, kv_heads, 1, S, S) for _ in range(layers)]
        for m in masks:
            if keep is None:
                r = math.exp(math.log(r_min) + (math.log(r_max) - math.log(r_min)) * torch.rand(1, generator=gen).item())
            else:
                r = keep
            kept = (torch.rand(kv_heads, prefix, generator=gen) < r) | pinned
            row = torch.zeros(kv_heads, prefix).masked_fill(~kept, float("-inf"))
            m[b, :, 0, t0 : t1 + 1, :prefix] = row[:, None, :]
    return masks
