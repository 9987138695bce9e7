"""Starting weights that already hold a copy (induction) circuit; training then refines everything.

Why: on two CPU cores the model never left the plateau before induction heads form (session-1 runs:
4.8 M tokens, repeat-task loss at the unigram level; the A/B runs in README.md). Even with a
supervised attention target the match head learned too slowly to fit the time budget. So the
starting point contains the two heads of the classic induction circuit, written out by hand,
and all weights are trained from there (nothing is frozen):

- Layer 0, query head 0 (KV head 0) is a previous-token head. Every embedding carries a constant
  1 on the last dimension U; after RMSNorm that constant lets query and key use fast RoPE pairs
  whose phases make the score peak at distance 1. Its value reads the token's content dimensions
  C through an orthonormal projection R and its output writes R c(t_{i-1}) into dimensions P.
- Layer 1, query head 0 (KV head 0) is the induction head: its query reads R c(t_i) from C, its
  key reads R c(t_{j-1}) from P, both only on the slow RoPE pairs (pairs >= head_dim/4, which turn
  by less than 0.5 rad over 4,096 tokens at rope_theta 1e8), so the score is a content match that
  barely depends on distance. Its value/output copy the attended token's content back into C,
  where the tied output embedding turns it into the logit of the same token.

Residual layout (hidden 256, head_dim 64): C = [0, 128) token content, P = [128, 192) previous
token, U = 255 constant, the rest small random. Other heads and all MLPs keep the usual random
start. The result is an ordinary Llama checkpoint; this only chooses where training begins.
"""

import math

import torch


def layout(config, content=128):
    h, d = config["hidden_size"], config["head_dim"]
    if content + d >= h:
        raise ValueError(f"hidden_size {h} is too small for {content} content + {d} previous-token dimensions")
    return {"C": slice(0, content), "P": slice(content, content + d), "U": h - 1, "free": slice(content + d, h - 1)}


def _orthonormal_rows(rows, cols, g):
    q, _ = torch.linalg.qr(torch.randn(cols, rows, generator=g))
    return q.t().contiguous()  # [rows, cols], orthonormal rows


@torch.no_grad()
def plant_copy_circuit(model, seed=0, content=128, pos_pairs=8, pos_size=14.0, match_size=28.0, prev_gain=1.4,
                       copy_gain=8.0):
    """Writes the previous-token head (layer 0) and the induction head (layer 1) into `model`."""
    c = model.config
    h, d = c["hidden_size"], c["head_dim"]
    rep = c["num_attention_heads"] // c["num_key_value_heads"]
    lay = layout(c, content)
    C, P, U, free = lay["C"], lay["P"], lay["U"], lay["free"]
    g = torch.Generator().manual_seed(seed)

    emb = model.model.embed_tokens.weight
    emb.zero_()
    emb[:, C] = torch.randn(emb.shape[0], content, generator=g) / math.sqrt(content)
    emb[:, U] = 1.0
    emb[:, free] = 0.02 * torch.randn(emb.shape[0], free.stop - free.start, generator=g)
    # RMSNorm scale of an embedding alone (content 1 + constant 1) and of embedding + previous token.
    f0 = math.sqrt(h / 2.0)
    f1 = math.sqrt(h / 3.0)

    theta = c["rope_theta"] ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)
    half = d // 2
    R = _orthonormal_rows(d, content, g)

    # Layer 0: previous-token head (query head 0 on KV head 0).
    a0 = model.model.layers[0].self_attn
    k_row, q_row = torch.zeros(d), torch.zeros(d)
    k_row[:pos_pairs] = pos_size
    q_row[:pos_pairs] = pos_size * torch.cos(theta[:pos_pairs])
    q_row[half : half + pos_pairs] = -pos_size * torch.sin(theta[:pos_pairs])
    a0.k_proj.weight[0:d] = 0.0
    a0.k_proj.weight[0:d, U] = k_row / f0
    a0.q_proj.weight[0 : rep * d] = 0.0  # the group's other query heads start uniform
    a0.q_proj.weight[0:d, U] = q_row / f0
    a0.v_proj.weight[0:d] = 0.0
    a0.v_proj.weight[0:d, C] = R / f0
    a0.o_proj.weight[:, 0 : rep * d] = 0.0
    a0.o_proj.weight[P, 0:d] = prev_gain * torch.eye(d)

    # Layer 1: induction head (query head 0 on KV head 0), content match on the slow RoPE pairs.
    a1 = model.model.layers[1].self_attn
    slow = list(range(half // 2, half)) + list(range(half + half // 2, d))
    a1.q_proj.weight[0 : rep * d] = 0.0
    a1.k_proj.weight[0:d] = 0.0
    for idx, dim in enumerate(slow):
        a1.q_proj.weight[dim, C] = match_size * R[idx] / f1
        a1.k_proj.weight[dim, P.start + idx] = match_size / (prev_gain * f1)
    R2 = _orthonormal_rows(d, content, g)
    a1.v_proj.weight[0:d] = 0.0
    a1.v_proj.weight[0:d, C] = R2 / f1
    a1.o_proj.weight[:, 0 : rep * d] = 0.0
    a1.o_proj.weight[C, 0:d] = copy_gain * R2.t()
    return lay


@torch.no_grad()
def previous_token_share(model, ids, layer=0, head=0):
    """Mean attention weight that `head` puts on position i-1 (1.0 = a perfect previous-token head)."""
    _, probs = model(ids, return_probs=True)
    p = probs[layer][:, head]  # [b, S, S]
    s = p.shape[-1]
    idx = torch.arange(1, s)
    return p[:, idx, idx - 1].mean().item()
