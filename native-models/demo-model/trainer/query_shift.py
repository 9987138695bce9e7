"""Does the reply's query hold the key part that only the question names? Measured per head.

For a stock fact in a table with a twin in the same town ("coal (Eldwick)" and "candles
(Eldwick)"), the reply "The depot in Eldwick holds" restates the town only, so the position that
predicts the value must take the material from the question. The same document is asked twice,
once for the fact and once for its twin: the document's keys are the same both times (the
question comes after them), the reply prefix too, so whatever changes at the reply's last position
comes from the question. Per layer and query head it prints:
- shift: |q_a - q_b| / |q_a|, how much of the head's query changes with the asked material;
- follows: how much more the head's attention logit favours the asked row over its twin when the
  fact is asked than when the twin is asked (logit units; 0 when the head ignores the material);
- and, for the whole model, P(the fact's first value token) asked for the fact minus the same
  probability asked for the twin (0 when the answer ignores the material).
Usage: /usr/bin/python3 -m trainer.query_shift --weights weights --n 40
"""

import math
import random

import torch

from . import datagen
from . import facts as F
from .key_probe import STOCK_ROW, find_runs, forward_start, probe_cli
from .kind_eval import checked_reply
from .model import rotate_half
from .train_tokenizer import render_chat


@torch.no_grad()
def queries_and_keys(model, ids):
    """Per layer: (q [heads, S, d], k [heads, S, d]) after RoPE, k repeated to the query heads."""
    s = len(ids)
    x, cos, sin, mask = forward_start(model, ids)
    out = []
    for layer in model.model.layers:
        at, h = layer.self_attn, layer.input_layernorm(x)
        q = at.q_proj(h).view(1, s, at.nh, at.d).transpose(1, 2)
        k = at.k_proj(h).view(1, s, at.nkv, at.d).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        out.append((q[0], k[0].repeat_interleave(at.nh // at.nkv, dim=0)))
        x, _ = layer(x, cos, sin, mask)
    return out


def head_shift(model, ids_a, ids_b, pos, row_a, row_b):
    """[layers, heads, 2]: (shift, follows) for two prompts of the same length that differ in the
    question only. pos: the query position; row_a / row_b: the key position of the row each prompt
    asks about (the document, before the question, is the same in both)."""
    qa, qb = queries_and_keys(model, ids_a), queries_and_keys(model, ids_b)
    out = []
    for (q1, k1), (q2, _) in zip(qa, qb):
        d = q1.shape[-1]
        u, v = q1[:, pos], q2[:, pos]
        diff = k1[:, row_a] - k1[:, row_b]  # the asked row's key minus its twin's, per head
        shift = (u - v).norm(dim=-1) / u.norm(dim=-1).clamp_min(1e-9)
        follows = ((u - v) * diff).sum(-1) / math.sqrt(d)
        out.append(torch.stack([shift, follows], -1))
    return torch.stack(out)


def twin_pairs(tok, n, length, seed):
    """n (messages_a, messages_b, reply, value_a, value_b) pairs: the same table document asked
    about a stock row and about its same-town twin (whose reply prefix is the same), asked in
    questions of the same token count."""
    rng = random.Random(seed)
    weights = {k: (1.0 if k == "stock" else 0.0) for k in F.KINDS}
    out = []
    while len(out) < n:
        s = datagen.make_sample(rng, length - 45, tok.count, kind_weights=weights, table_share=1.0, twin_share=1.0)
        rows = STOCK_ROW.findall(s["document"])
        asked = [r for r in rows if r[2] == s["value"]]
        twins = [r for r in rows if asked and r[1] == asked[0][1] and r[0] != asked[0][0]]
        if not twins:
            continue
        question_b = s["question"].replace(f" {asked[0][0]} ", f" {twins[0][0]} ")
        # Materials of different token counts would move the query's position, and RoPE with it.
        if question_b == s["question"] or len(tok.encode(question_b)) != len(tok.encode(s["question"])):
            continue
        messages_b = [dict(m) for m in s["messages"]]
        messages_b[-1]["content"] = messages_b[-1]["content"][: -len(s["question"])] + question_b
        out.append((s["messages"], messages_b, s["answer"], s["value"], twins[0][2]))
    return out


@torch.no_grad()
def measure(model, tok, pairs):
    """(mean [layers, heads, 2] of head_shift, mean P(value) asked for it - asked for the twin, count)."""
    total, follow, used = None, 0.0, 0
    for messages_a, messages_b, answer, value_a, value_b in pairs:
        pa, pb = (tok.encode(render_chat(m, True)) for m in (messages_a, messages_b))
        reply = checked_reply(tok, answer, value_a)
        j = find_runs(reply, tok.encode(" " + value_a))
        rows = [find_runs(pa, tok.encode(" " + v)) for v in (value_a, value_b)]
        if not j or any(len(r) != 1 for r in rows) or len(pa) != len(pb):
            continue
        ids_a, ids_b = pa + reply[: j[0]], pb + reply[: j[0]]
        r = head_shift(model, ids_a, ids_b, len(ids_a) - 1, rows[0][0], rows[1][0])
        total = r if total is None else total + r
        first = tok.encode(" " + value_a)[0]
        p_a = model(torch.tensor([ids_a]))[0, -1].softmax(-1)[first]
        p_b = model(torch.tensor([ids_b]))[0, -1].softmax(-1)[first]
        follow += float(p_a - p_b)
        used += 1
    if not used:
        raise SystemExit("no usable pair: every sample's reply or table rows were ambiguous")
    return total / used, follow / used, used


def main():
    a, model, tok = probe_cli(40, "document pairs", "query-shift")
    heads, follow, used = measure(model, tok, twin_pairs(tok, a.n, a.length, a.seed))
    print(f"{used} pairs; P(the asked row's first value token), asked for it minus asked for its twin: {follow:+.3f}")
    print("layer  per query head: shift of the query / how far its logit follows the asked row")
    for layer, row in enumerate(heads):
        print(f"{layer:5d}  " + "  ".join(f"h{h} {s:.3f}/{f:+.2f}" for h, (s, f) in enumerate(row.tolist())))


if __name__ == "__main__":
    main()
