"""Which heads decide a reply's next token? Direct effects at one prompt's last position.

The prompt is a document as the app reads it (`cli ingest FILE.pdf --json` writes its "text"),
the question, and the start of a reply. For two candidate tokens A and B it prints how much each
part of the residual stream at the last position (the embedding, every head's output, every MLP's
output) adds to logit(A) - logit(B) through the final norm and the unembedding; the parts sum to
the model's own difference (the final norm's scale at that position is a constant there). It also
prints where the chosen heads attend from that position, and, with --scale, the next-token
probabilities with some heads' outputs at that position multiplied by a factor.

Session 22 used it on the sample PDFs' two misses: the first copy head (layer 1 head 0) decides
both answers, the later copy heads attend to the right value more often but write too little.
Usage:
  /usr/bin/python3 -m trainer.head_effects --weights weights --text mii.json \\
    --question "What is the stock of paper reams at the depot in Corriedale?" \\
    --prefix "The depot in Corriedale holds" --tokens " 1" " 3" --heads 1:0,2:0,3:0 \\
    --scale 1:0:0.3,2:0:3,3:0:3
"""

import argparse
import json

import torch

from .evaluate import load
from .head_drop import HeadDrop
from .key_probe import forward_start
from .train_tokenizer import render_chat


@torch.no_grad()
def last_position_parts(model, ids):
    """({name: [hidden]} of what the embedding, each head ("a{layer}.{head}") and each MLP
    ("m{layer}") add to the residual at the last position, {layer: attention probs [heads, S]}
    of that position, the last layer's output there)."""
    x, cos, sin, mask = forward_start(model, ids)
    parts, attn = {"emb": x[0, -1].clone()}, {}
    for i, layer in enumerate(model.model.layers):
        at = layer.self_attn
        h = layer.input_layernorm(x)
        a, p = at(h, cos, sin, mask, True)
        v_all = at.v_proj(h[0]).view(-1, at.nkv, at.d)
        rep = at.nh // at.nkv
        for head in range(at.nh):
            out = p[0, head, -1] @ v_all[:, head // rep]  # [d]
            parts[f"a{i}.{head}"] = at.o_proj.weight[:, head * at.d : (head + 1) * at.d] @ out
        attn[i] = p[0, :, -1]
        x = x + a  # the rest of Layer.forward, without computing the attention again
        m = layer.mlp(layer.post_attention_layernorm(x))
        parts[f"m{i}"] = m[0, -1]
        x = x + m
    return parts, attn, x[0, -1]


def direct_effects(model, parts, last, tok_a, tok_b):
    """{part: its share of logit(tok_a) - logit(tok_b)} at the last position (last_position_parts),
    and the model's own difference, from the last layer's output `last`."""
    norm, emb = model.model.norm, model.model.embed_tokens.weight
    scale = torch.rsqrt(last.pow(2).mean() + norm.eps) * norm.weight
    direction = (emb[tok_a] - emb[tok_b]) * scale
    return {k: float(v @ direction) for k, v in parts.items()}, float(norm(last) @ (emb[tok_a] - emb[tok_b]))


@torch.no_grad()
def scaled_top(model, ids, factors, k=4):
    """Top-k (token id, probability) at the last position with heads' outputs there multiplied:
    factors {(layer, head): factor}."""
    drops = []
    for (layer, head), f in factors.items():
        d = HeadDrop(model, [(layer, head)])
        d.gate = torch.ones(1, len(ids))
        d.gate[0, -1] = f
        drops.append(d)
    try:
        p = model(torch.tensor([ids]))[0, -1].softmax(-1)
    finally:
        for d in drops:
            d.remove()
    top = p.topk(k)
    return [(int(i), float(v)) for v, i in zip(top.values, top.indices)]


def document_text(path):
    """A document's text from the app's ingest JSON (`cli ingest FILE.pdf --json`: its "text") or
    from a plain text file."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    try:
        return json.loads(raw)["text"]
    except (ValueError, KeyError, TypeError):
        return raw


def prompt_ids(tok, text, question, prefix):
    return tok.encode(render_chat([{"role": "user", "content": text + "\n\n" + question}], True)) + tok.encode(prefix)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="weights")
    ap.add_argument("--text", required=True, help="the app's ingest JSON (its 'text') or a plain text file")
    ap.add_argument("--question", required=True)
    ap.add_argument("--prefix", default="", help="the reply so far")
    ap.add_argument("--tokens", nargs=2, required=True, metavar=("A", "B"),
                    help="two candidate next tokens, e.g. ' 1' ' 3' (each must encode to one token)")
    ap.add_argument("--heads", default="1:0,2:0,3:0", help="layer:head list whose attention is shown")
    ap.add_argument("--scale", default="", help="layer:head:factor list applied at the last position")
    ap.add_argument("--min", type=float, default=0.15, help="smallest direct effect printed")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, tok = load(a.weights)
    text = document_text(a.text)
    cand = [tok.encode(t) for t in a.tokens]
    for t, ids_ in zip(a.tokens, cand):
        if len(ids_) != 1:
            ap.error(f"--tokens {t!r} encodes to {len(ids_)} tokens; give one token")
    ids = prompt_ids(tok, text, a.question, a.prefix)
    parts, attn, last = last_position_parts(model, ids)
    effects, total = direct_effects(model, parts, last, cand[0][0], cand[1][0])
    print(f"logit({a.tokens[0]!r}) - logit({a.tokens[1]!r}) = {total:+.2f} over {len(ids)} tokens; direct effects:")
    for name, v in sorted(effects.items(), key=lambda kv: -abs(kv[1])):
        if abs(v) >= a.min:
            print(f"  {name:6s} {v:+.2f}")
    for spec in filter(None, a.heads.split(",")):
        layer, head = (int(x) for x in spec.split(":"))
        top = attn[layer][head].topk(4)
        where = "  ".join(f"{float(v):.2f}@{int(i)} {tok.decode([ids[int(i)]])!r}" for v, i in zip(top.values, top.indices))
        print(f"head {layer}:{head} attends {where}")
    if a.scale:
        factors = {}
        for spec in a.scale.split(","):
            layer, head, f = spec.split(":")
            factors[(int(layer), int(head))] = float(f)
        top = scaled_top(model, ids, factors)
        print(f"with {a.scale}: " + "  ".join(f"{tok.decode([i])!r} {p:.2f}" for i, p in top))


if __name__ == "__main__":
    main()
