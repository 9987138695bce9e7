"""Optional initialisation that starts the model with a previous-token attention head.

Induction (copy) heads need two parts: a head that moves each token's identity one position
forward (previous-token head) and a later head that matches on it. In the pilots and the A/B runs
the model sat on the plateau before both form (repeat-task loss stuck at ln(vocab) for 400+
steps). Starting layer 0, query head 0 as a previous-token head leaves only the matching head to
learn. The result is an ordinary Llama checkpoint: this only chooses the starting weights.

How: one direction u is added to every token embedding (it shifts all tied logits equally, so it
changes no prediction); after RMSNorm every position carries about sqrt(hidden) * u. Query head 0
and its KV head read only that direction, with RoPE phases chosen so that the score
sum_j cos((m - n - 1) * theta_j) over the fastest rotary frequencies peaks at n = m - 1.
"""

import math

import torch


@torch.no_grad()
def init_previous_token_head(model, layer=0, head=0, shared_norm=1.0, sharpness=7.0, n_freq=6, seed=0):
    c = model.config
    h, d, rep = c["hidden_size"], c["head_dim"], c["num_attention_heads"] // c["num_key_value_heads"]
    g = torch.Generator().manual_seed(seed)
    u = torch.randn(h, generator=g)
    u /= u.norm()
    model.model.embed_tokens.weight += shared_norm * u
    # RMSNorm output along u: about sqrt(h) * |c| / |c + e|; divide it out so q, k have size `sharpness`.
    e_norm = model.model.embed_tokens.weight.std().item() * math.sqrt(h)
    along = math.sqrt(h) * shared_norm / math.sqrt(shared_norm**2 + e_norm**2)
    theta = c["rope_theta"] ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)  # [d/2]
    half = d // 2
    k_t, q_t = torch.zeros(d), torch.zeros(d)
    k_t[:n_freq] = sharpness
    q_t[:n_freq] = sharpness * torch.cos(theta[:n_freq])
    q_t[half : half + n_freq] = -sharpness * torch.sin(theta[:n_freq])
    attn = model.model.layers[layer].self_attn
    kv = head // rep
    attn.k_proj.weight[kv * d : (kv + 1) * d] = torch.outer(k_t, u) / along
    attn.q_proj.weight[head * d : (head + 1) * d] = torch.outer(q_t, u) / along


def frozen_rows(model, layer=0, head=0):
    """[(tensor, row slice, saved copy)] for the head's query rows and its KV head's key rows."""
    c = model.config
    d, rep = c["head_dim"], c["num_attention_heads"] // c["num_key_value_heads"]
    attn = model.model.layers[layer].self_attn
    kv = head // rep
    out = []
    for w, i in ((attn.q_proj.weight, head), (attn.k_proj.weight, kv)):
        sl = slice(i * d, (i + 1) * d)
        out.append((w, sl, w.detach()[sl].clone()))
    return out


@torch.no_grad()
def restore_rows(frozen):
    """Write the saved rows back after an optimizer step (undoes gradient updates and weight decay)."""
    for w, sl, saved in frozen:
        w[sl] = saved


@torch.no_grad()
def previous_token_share(model, ids, layer=0, head=0):
    """Mean attention weight that `head` puts on position i-1 (1.0 = a perfect previous-token head)."""
    _, probs = model(ids, return_probs=True)
    p = probs[layer][:, head]  # [b, S, S]
    s = p.shape[-1]
    idx = torch.arange(1, s)
    return p[:, idx, idx - 1].mean().item()
