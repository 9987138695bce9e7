"""A Llama-family decoder written out by hand (torch 1.13 has no scaled_dot_product_attention).

The math is exactly what the project's importer implements for model_type "llama": RMSNorm,
non-interleaved RoPE (rotate_half) with inv_freq = theta^(-2i/d), grouped-query attention with
contiguous groups (query head h reads KV head h // n_rep), SiLU-gated MLP, tied embeddings.
Parameter names follow the Hugging Face layout so export is a rename-free dump.
"""

import json
import math
import os

import torch
from torch import nn
import torch.nn.functional as Fn

from . import safetensors_io


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def parse_heads(spec):
    """A tool flag's layer:head list (or layer:head:k, ...) -> int tuples: "1:0,2:0" -> [(1, 0), (2, 0)]; "" -> []."""
    return [tuple(int(x) for x in p.split(":")) for p in spec.split(",") if p]


def rope_tables(positions, head_dim, theta, device):
    inv_freq = theta ** (-torch.arange(0, head_dim, 2, dtype=torch.float32, device=device) / head_dim)
    freqs = positions.to(torch.float32)[..., None] * inv_freq  # [..., S, d/2]
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, self.nh, self.nkv, self.d = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        self.q_proj = nn.Linear(h, self.nh * self.d, bias=False)
        self.k_proj = nn.Linear(h, self.nkv * self.d, bias=False)
        self.v_proj = nn.Linear(h, self.nkv * self.d, bias=False)
        self.o_proj = nn.Linear(self.nh * self.d, h, bias=False)

    def forward(self, x, cos, sin, mask, return_probs=False, evict=None):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.nh, self.d).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.nkv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.nkv, self.d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = self.nh // self.nkv
        k = k.repeat_interleave(rep, dim=1)  # contiguous groups: heads 0..rep-1 -> KV head 0
        v = v.repeat_interleave(rep, dim=1)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.d)) + mask
        if callable(evict):  # chosen from this layer's own attention (select_eviction.LayerSelection)
            evict = evict(att.detach())
        if evict is not None:  # [b, nkv, 1, s, s]: per KV head, shared by its query heads
            att = (att.view(b, self.nkv, rep, s, s) + evict).view(b, self.nh, s, s)
        p = att.softmax(-1)
        out = (p @ v).transpose(1, 2).reshape(b, s, self.nh * self.d)
        return self.o_proj(out), (p if return_probs else None)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, i = c["hidden_size"], c["intermediate_size"]
        self.gate_proj = nn.Linear(h, i, bias=False)
        self.up_proj = nn.Linear(h, i, bias=False)
        self.down_proj = nn.Linear(i, h, bias=False)

    def forward(self, x):
        return self.down_proj(Fn.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, mask, return_probs=False, evict=None):
        a, p = self.self_attn(self.input_layernorm(x), cos, sin, mask, return_probs, evict)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), p


class Inner(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])


class Decoder(nn.Module):
    """HF-layout Llama decoder; `model.*` parameter names, lm_head tied to embed_tokens."""

    def __init__(self, c):
        super().__init__()
        self.config = dict(c)
        self.model = Inner(c)
        for n, p in self.named_parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)
        # Scale residual-branch outputs down with depth (GPT-2 style) for stable early training.
        for layer in self.model.layers:
            nn.init.normal_(layer.self_attn.o_proj.weight, std=0.02 / math.sqrt(2 * c["num_hidden_layers"]))
            nn.init.normal_(layer.mlp.down_proj.weight, std=0.02 / math.sqrt(2 * c["num_hidden_layers"]))

    def forward(self, ids, return_probs=False, evict=None):
        """evict: None or one entry per layer on top of the causal mask: an additive mask
        (eviction.eviction_masks) or a callable that makes it from the layer's attention logits
        (select_eviction.LayerSelection)."""
        c = self.config
        b, s = ids.shape
        pos = torch.arange(s, device=ids.device)
        cos, sin = rope_tables(pos, c["head_dim"], c["rope_theta"], ids.device)
        mask = torch.full((s, s), float("-inf"), device=ids.device).triu(1)
        x = self.model.embed_tokens(ids)
        probs = []
        for i, layer in enumerate(self.model.layers):
            x, p = layer(x, cos, sin, mask, return_probs, evict[i] if evict is not None else None)
            probs.append(p)
        x = self.model.norm(x)
        logits = x @ self.model.embed_tokens.weight.t()
        return (logits, probs) if return_probs else logits


def load_checkpoint(path, device="cpu"):
    """(model in eval mode, checkpoint dict) from a training checkpoint (train.py's checkpoint.pt) or
    from an exported Hugging Face folder (config.json + model.safetensors, as `weights/`).

    A folder gives step 0 and the fp16 weights widened to fp32, so a fine-tune or an average can
    start from the shipped weights when the run folder that made them is gone.
    """
    if os.path.isdir(path):
        return load_exported(path, device)
    ck = torch.load(path, map_location=device)
    model = Decoder(ck["config"]).to(device)
    model.load_state_dict(ck["model"])
    return model.eval(), ck


def load_exported(folder, device="cpu"):
    """(model in eval mode, checkpoint-like dict) from an exported folder; see load_checkpoint."""
    config_path, weights_path = os.path.join(folder, "config.json"), os.path.join(folder, "model.safetensors")
    for need in (config_path, weights_path):
        if not os.path.isfile(need):
            raise SystemExit(f"{folder} is not an exported model folder: {os.path.basename(need)} is missing")
    with open(config_path) as f:
        cfg = json.load(f)
    model = Decoder(cfg)
    tensors, _ = safetensors_io.load(weights_path)
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in tensors.items()}, strict=False)
    if unexpected or any(not k.startswith("lm_head") for k in missing):
        raise SystemExit(f"{folder}: weights do not match config.json: missing {missing}, unexpected {unexpected}")
    model = model.to(device).eval()
    return model, {"config": cfg, "model": model.state_dict(), "step": 0, "tokens": 0, "minutes": 0.0}


def default_config(vocab_size=4096, layers=4, hidden=256, heads=8, kv_heads=2, intermediate=768, theta=1e8,
                   head_dim=64):
    """config.json content (model_type llama, tied embeddings)."""
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": vocab_size,
        "hidden_size": hidden,
        "intermediate_size": intermediate,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads,
        "head_dim": head_dim,
        "hidden_act": "silu",
        "max_position_embeddings": 8192,
        "rms_norm_eps": 1e-5,
        "rope_theta": theta,
        "rope_scaling": None,
        "attention_bias": False,
        "mlp_bias": False,
        "tie_word_embeddings": True,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "pad_token_id": 0,
        "torch_dtype": "float16",
    }
