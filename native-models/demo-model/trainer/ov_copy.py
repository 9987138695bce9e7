"""Does a head copy what it attends to? Each head's value-output map, read at a document's digits.

A copy head that attends to a value's first token (" 1" of "16 drums") can only write that token
if its value-output map (v_proj of its KV group, then its o_proj columns) turns the residual
there into the token's direction in the tied unembedding. For every head this prints, over the
spaced digit tokens " 0".." 9" of some documents, what the head would add to the ten digits'
logits if it put all its attention on that position (before the final norm):
- rate: the share of positions where the attended digit gets the largest of the ten;
- gap: the attended digit's logit minus the ten's mean, averaged over positions.
And per KV group, how well a linear classifier reads the digit from the group's value vectors
(fitted on 70% of the positions, scored on the rest): what an o_proj could learn to copy.

With --plant it also gives heads a copy map fitted by ridge regression (plant_copy), with
--plant-token it makes heads write the token they read (plant_token_copy), and it exports the
result, a start for train.py --init-from.

Session 23 measured it on stage 8: layer 1 head 0 copies every digit (gap +16); heads 0 of layers
2 and 3, which attend to Corriedale's right value more than head 1:0 does, copy 0.36 / 0.45 of
them (gap +0.2 / +0.3), while their values still hold the digit (probe 0.88 / 0.83). Planted, they
copy, but where they attend did not learn to follow the question (README, "Tried, not shipped").
Usage:
  /usr/bin/python3 -m trainer.ov_copy --weights weights --text mii.json fsn.json --generated 6
  /usr/bin/python3 -m trainer.ov_copy --weights runs/s22c/weights --text mii.json fsn.json \\
    --first-seed 100 --plant 2:0,3:0 --out runs/s23p/init
Session 24's start (head 1:6 made a token copy for --line-heads / --question-heads, then the copy
heads planted at a digit gap of 6):
  /usr/bin/python3 -m trainer.ov_copy --weights weights --text mii.json fsn.json --first-seed 200 \\
    --plant-token 1:6 --token-share 0.3 --out runs/s24/token
  /usr/bin/python3 -m trainer.ov_copy --weights runs/s24/token --text mii.json fsn.json \\
    --first-seed 100 --plant 2:0,3:0 --gap 6 --out runs/s24/init
"""

import argparse

import torch

from .datagen import corpus_text
from .evaluate import load
from .export import export
from .head_effects import document_text
from .key_probe import probe_accuracy, residuals
from .model import parse_heads


def digit_ids(tok):
    """The ten spaced digits' ids (the tokenizer keeps each a single token)."""
    out = []
    for d in range(10):
        ids = tok.encode(f" {d}")
        if len(ids) != 1:
            raise SystemExit(f"' {d}' is {len(ids)} tokens in this tokenizer; ov_copy needs single-token digits")
        out.append(ids[0])
    return out


@torch.no_grad()
def group_values(model, resid, layer):
    """[N, kv_heads, head_dim]: the layer's value vectors at each position, from its input resid [N, hidden]."""
    lay = model.model.layers[layer]
    at = lay.self_attn
    return at.v_proj(lay.input_layernorm(resid)).view(-1, at.nkv, at.d)


def mean_gap(logits, labels):
    """Mean over positions of the labelled digit's logit minus the ten digits' mean ([N, 10], [N])."""
    return (logits.gather(1, labels[:, None])[:, 0] - logits.mean(1)).mean().item()


@torch.no_grad()
def copy_scores(model, resid_in, digits, labels):
    """{(layer, head): (rate, gap)} over positions whose inputs to each layer are resid_in[layer]
    [N, hidden] and whose tokens are the digits[labels[i]]."""
    emb = model.model.embed_tokens.weight[torch.tensor(digits)]
    out = {}
    for layer, lay in enumerate(model.model.layers):
        at = lay.self_attn
        v = group_values(model, resid_in[layer], layer)
        for head in range(at.nh):
            o = v[:, head // (at.nh // at.nkv)] @ at.o_proj.weight[:, head * at.d:(head + 1) * at.d].T
            logits = o @ emb.T  # [N, 10]
            rate = (logits.argmax(1) == labels).float().mean().item()
            out[(layer, head)] = (rate, mean_gap(logits, labels))
    return out


def value_probes(model, resid_in, labels, train_share=0.7, seed=0):
    """{(layer, kv_head): held-out accuracy of a linear classifier of the digit from the value vector}."""
    n = len(labels)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    tr, te = perm[:int(train_share * n)], perm[int(train_share * n):]
    out = {}
    for layer in range(len(model.model.layers)):
        v = group_values(model, resid_in[layer], layer)
        for g in range(v.shape[1]):
            x = v[:, g]
            out[(layer, g)] = probe_accuracy(x[tr], labels[tr], x[te], labels[te], 10)
    return out


def text_inputs(model, tok, texts, max_tokens):
    """(resid_in [layers, N, hidden]: each layer's input at every position of the texts, ids [N])."""
    ins, all_ids = [], []
    for t in texts:
        ids = tok.encode(t)[:max_tokens]
        ins.append(residuals(model, ids)[:-1])
        all_ids += ids
    return torch.cat(ins, 1), torch.tensor(all_ids)


def digit_labels(ids, digits):
    """(mask [N]: where ids holds a spaced digit, labels: which digit, 0-9, at those positions)."""
    lookup = {d: k for k, d in enumerate(digits)}
    mask = torch.tensor([int(i) in lookup for i in ids], dtype=torch.bool)
    return mask, torch.tensor([lookup[int(i)] for i in ids[mask]], dtype=torch.long)


@torch.no_grad()
def fit_copy_map(values, targets, ridge=1e-2):
    """[hidden, d]: the ridge-regression map from value vectors [N, d] to targets [N, hidden]."""
    lam = ridge * values.pow(2).sum(0).mean()
    return torch.linalg.solve(values.T @ values + lam * torch.eye(values.shape[1]), values.T @ targets).T


@torch.no_grad()
def plant_copy(model, heads, resid_in, ids, digits, gap):
    """Adds to each head's o_proj columns a map from its KV group's value vector to the embedding
    of the token at that position (fitted on every position of resid_in / ids, text_inputs), scaled
    so that the added map's own digit gap (copy_scores) is `gap`. The KV group's v_proj, which other
    heads share, is left as it is. Returns {(layer, head): the scale of the fitted map}."""
    emb = model.model.embed_tokens.weight
    mask, labels = digit_labels(ids, digits)
    out = {}
    for layer, head in heads:
        at = model.model.layers[layer].self_attn
        values = group_values(model, resid_in[layer], layer)[:, head // (at.nh // at.nkv)]
        fitted = fit_copy_map(values, emb[ids])
        logits = values[mask] @ fitted.T @ emb[torch.tensor(digits)].T
        scale = gap / mean_gap(logits, labels)
        at.o_proj.weight[:, head * at.d:(head + 1) * at.d] += scale * fitted
        out[(layer, head)] = scale
    return out


@torch.no_grad()
def plant_token_copy(model, heads, resid_in, ids, share):
    """Replaces each head's o_proj columns by the ridge map from its KV group's value vector to the
    embedding of the token at that position (fit_copy_map), scaled so that what it writes has a
    median norm of `share` times the median norm of the next layer's input: the head then writes
    the token it attends to, loud enough for the later layers' queries and keys to read (a line
    head or question head whose two ends should match, train.py --line-heads / --question-heads).
    Returns {(layer, head): the scale of the fitted map}."""
    emb = model.model.embed_tokens.weight
    out = {}
    for layer, head in heads:
        if layer + 1 >= len(resid_in):
            raise ValueError(f"head {layer}:{head} is in the last layer, which writes to the unembedding only; "
                             "plant an earlier layer's head")
        at = model.model.layers[layer].self_attn
        values = group_values(model, resid_in[layer], layer)[:, head // (at.nh // at.nkv)]
        fitted = fit_copy_map(values, emb[ids])
        written = (values @ fitted.T).norm(dim=1).median()
        scale = share * resid_in[layer + 1].norm(dim=1).median().item() / written.item()
        at.o_proj.weight[:, head * at.d:(head + 1) * at.d] = scale * fitted
        out[(layer, head)] = scale
    return out


def report(model, resid_in, digits, labels):
    """Prints each head's copy_scores and each KV group's value probe; returns the scores."""
    scores, probes = copy_scores(model, resid_in, digits, labels), value_probes(model, resid_in, labels)
    at = model.model.layers[0].self_attn
    rep = at.nh // at.nkv
    print(f"{len(labels)} digit positions; per head rate / gap, per KV group the value probe's accuracy")
    for layer in range(len(model.model.layers)):
        for g in range(at.nkv):
            cells = "  ".join(f"{layer}:{h} {scores[(layer, h)][0]:.2f} {scores[(layer, h)][1]:+6.2f}"
                              for h in range(g * rep, (g + 1) * rep))
            print(f"layer {layer} kv {g}: probe {probes[(layer, g)]:.2f} | {cells}")
    return scores


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="weights")
    ap.add_argument("--text", nargs="*", default=[], help="the app's ingest JSONs (their 'text') or plain text files")
    ap.add_argument("--generated", type=int, default=6, help="generated document sets added (6 documents each)")
    ap.add_argument("--first-seed", type=int, default=0, help="seed of the first generated set")
    ap.add_argument("--max-tokens", type=int, default=4000, help="tokens read from each text")
    ap.add_argument("--plant", default="", help="layer:head list given a fitted copy map (plant_copy), e.g. 2:0,3:0")
    ap.add_argument("--match", default="1:0", help="layer:head whose digit gap the planted maps get")
    ap.add_argument("--gap", type=float, default=0.0, help="the digit gap the planted maps get (instead of --match's)")
    ap.add_argument("--plant-token", default="",
                    help="layer:head list whose o_proj is replaced by a token copy (plant_token_copy), before --plant")
    ap.add_argument("--token-share", type=float, default=0.3,
                    help="--plant-token's written norm as a share of the next layer's input norm")
    ap.add_argument("--out", default="", help="with --plant or --plant-token: the folder the planted model is exported to")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if (a.plant or a.plant_token) and not a.out:
        raise SystemExit("--plant and --plant-token need --out DIR (the planted model is exported there, "
                         "for train.py --init-from)")
    model, tok = load(a.weights)
    texts = [document_text(path) for path in a.text]
    texts += ["\n\n".join(corpus_text(seed, 6, 600)) for seed in range(a.first_seed, a.first_seed + a.generated)]
    if not texts:
        raise SystemExit("no text: give --text files or --generated N > 0")
    resid_in, ids = text_inputs(model, tok, texts, a.max_tokens)
    if a.plant_token:
        for (layer, head), scale in plant_token_copy(model, parse_heads(a.plant_token), resid_in, ids,
                                                     a.token_share).items():
            print(f"planted token copy {layer}:{head}: fitted map x {scale:.2f}")
        resid_in, ids = text_inputs(model, tok, texts, a.max_tokens)
    digits = digit_ids(tok)
    mask, labels = digit_labels(ids, digits)
    if len(labels) < 20:
        raise SystemExit(f"only {len(labels)} spaced digits in the texts; give more text")
    scores = report(model, resid_in[:, mask], digits, labels)
    if a.plant:
        gap = a.gap or scores[parse_heads(a.match)[0]][1]
        for (layer, head), scale in plant_copy(model, parse_heads(a.plant), resid_in, ids, digits, gap).items():
            print(f"planted {layer}:{head}: fitted copy map x {scale:.1f}, digit gap {gap:+.2f} added")
        # each layer's input changes above the first planted layer: measure the planted model afresh
        resid_in, ids = text_inputs(model, tok, texts, a.max_tokens)
        report(model, resid_in[:, mask], digits, labels)
    if a.out and (a.plant or a.plant_token):
        export(model, a.weights, a.out)
        print(f"exported {a.out}")


if __name__ == "__main__":
    main()
