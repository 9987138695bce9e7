"""Grow a trained model by whole layers on top, and train only the new ones.

`train.py --init-from DIR --layers N --train-layers K,..`: the checkpoint's layers load into the
first layers of an N-layer model; each layer it lacks is appended with its residual outputs
(o_proj and mlp.down_proj) at zero, so the grown model computes exactly what the base did until
training moves them. --train-layers leaves every other parameter (embeddings, final norm, the
base's layers) frozen: what the base could already do stays as it was, and all the gradient goes
to fresh heads, which learn without first having to unlearn a pattern.
"""

import torch


def load_grown(model, state):
    """Load state (a model with fewer layers) into model; zero the residual outputs of the rest.
    Returns the indices of the layers state lacked. Anything else missing or unexpected is an error."""
    missing, unexpected = model.load_state_dict(state, strict=False)
    new = sorted({int(k.split(".")[2]) for k in missing if k.startswith("model.layers.")})
    stray = [k for k in missing if not k.startswith("model.layers.")]
    if unexpected or stray or not new or new != list(range(new[0], len(model.model.layers))):
        raise SystemExit(f"cannot grow this checkpoint into {len(model.model.layers)} layers: "
                         f"missing {missing}, unexpected {unexpected}")
    with torch.no_grad():
        for i in new:
            model.model.layers[i].self_attn.o_proj.weight.zero_()
            model.model.layers[i].mlp.down_proj.weight.zero_()
    return new


def freeze_except(model, layers):
    """Only the listed layers' parameters keep requires_grad. Returns the trainable parameters."""
    keep = set(layers)
    n = len(model.model.layers)
    if not keep or any(i < 0 or i >= n for i in keep):
        raise SystemExit(f"--train-layers {sorted(keep)}: the model has layers 0-{n - 1}")
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith("model.layers.") and int(name.split(".")[2]) in keep)
    return [p for p in model.parameters() if p.requires_grad]


def plant_token_copy(model, layer, heads, gain, seed=19):
    """Make the listed query heads of one layer (all in one KV group) copy what they attend to,
    strongly: the group's value projection keeps the 64 directions along which the (centred)
    embeddings vary most, and each head writes them back, turned by a fixed random rotation and
    times gain. The rotation keeps the copy from raising its own token's logit (the embeddings are
    tied). The group's other query heads are silenced (their o_proj columns zero): their value
    projection is gone. Meant for a grown layer's line head and question head, whose trained output
    was too small to move the next layer's query (trainer.query_shift).
    Measured in session 20: at layer 4's input of stage 8 a token's embedding is a small part of
    the residual, and read through these 64 directions the copy names the attended token in 1.5%
    of positions (a material among the 20 in 6%, chance 5%): it carries little of the word
    (README, "What remains")."""
    at = model.model.layers[layer].self_attn
    d, rep = at.d, at.nh // at.nkv
    groups = {h // rep for h in heads}
    if len(groups) != 1:
        raise SystemExit(f"heads {heads} must share one KV group ({rep} query heads each)")
    g = groups.pop()
    emb = model.model.embed_tokens.weight.detach()
    basis = torch.linalg.svd(emb - emb.mean(0), full_matrices=False)[2][:d].T  # hidden x d
    rotation = torch.linalg.qr(torch.randn(emb.shape[1], emb.shape[1], generator=torch.Generator().manual_seed(seed)))[0]
    with torch.no_grad():
        at.v_proj.weight[g * d:(g + 1) * d] = basis.T
        for h in range(g * rep, (g + 1) * rep):
            at.o_proj.weight[:, h * d:(h + 1) * d] = gain * rotation @ basis if h in heads else 0.0
    return rotation @ basis


def main():
    import argparse

    from .model import load_checkpoint

    ap = argparse.ArgumentParser(description="rewrite a checkpoint with planted token-copy heads (plant_token_copy)")
    ap.add_argument("src", help="checkpoint.pt or exported folder")
    ap.add_argument("dst", help="checkpoint to write (for train.py --init-from)")
    ap.add_argument("--layer", type=int, required=True)
    ap.add_argument("--heads", required=True, help="e.g. 5,6 (one KV group)")
    ap.add_argument("--gain", type=float, default=8.0)
    a = ap.parse_args()
    model, ck = load_checkpoint(a.src)
    plant_token_copy(model, a.layer, [int(h) for h in a.heads.split(",")], a.gain)
    torch.save({"model": model.state_dict(), "config": model.config, "step": 0, "tokens": ck.get("tokens", 0)}, a.dst)
    print(f"wrote {a.dst}: layer {a.layer} heads {a.heads} copy with gain {a.gain}")


if __name__ == "__main__":
    main()
