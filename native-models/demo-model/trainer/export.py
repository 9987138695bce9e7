"""Export a trained Decoder to a Hugging Face folder the app's importer reads.

Writes config.json, model.safetensors (fp16, tied embeddings so no lm_head), generation_config.json,
tokenizer.json, tokenizer_config.json, and logits-check.json (see write_logits_check).
Usage to redo the check of an existing folder: /usr/bin/python3 -m trainer.export weights
"""

import json
import os
import shutil

import torch

from . import safetensors_io

EXPORT_DTYPE = torch.float16


def hf_state(model, dtype=EXPORT_DTYPE):
    """State dict in HF names, without lm_head (tied)."""
    return {n: p.detach().to(dtype) for n, p in model.state_dict().items() if n.startswith("model.")}


def export(model, tokenizer_dir, out_dir, extra_meta=None):
    os.makedirs(out_dir, exist_ok=True)
    config = dict(model.config)
    config["torch_dtype"] = "float16"
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    gen = {"bos_token_id": config["bos_token_id"], "eos_token_id": [config["eos_token_id"]],
           "pad_token_id": config["pad_token_id"], "do_sample": False, "max_new_tokens": 64}
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
    meta = {"format": "pt", "producer": "kv-lens demo-model trainer"}
    meta.update(extra_meta or {})
    safetensors_io.save(hf_state(model), os.path.join(out_dir, "model.safetensors"), meta)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        src, dst = os.path.join(tokenizer_dir, name), os.path.join(out_dir, name)
        if os.path.abspath(src) != os.path.abspath(dst):
            shutil.copyfile(src, dst)
    write_logits_check(out_dir)


CHECK_TEXT = "The access code for the north vault is 4817-KQ. Clara Mendes lives in Valemont."
CHECK_QUESTION = "What is the access code for the north vault?"


def write_logits_check(folder):
    """weights/logits-check.json: last-token logits of the exported fp16 weights, in float64.

    The app's TypeScript reference forward pass must reproduce them (logits-check.test.ts): an
    end-to-end check that the trainer's math and the importer's math are the same model.
    """
    from .evaluate import load
    from .train_tokenizer import render_chat

    model, tok = load(folder)
    model = model.double()
    ids = tok.encode(render_chat([{"role": "user", "content": f"{CHECK_TEXT}\n\n{CHECK_QUESTION}"}], True))
    with torch.no_grad():
        logits = model(torch.tensor([ids]))[0, -1]
    top = torch.topk(logits, 20)
    out = {"tokens": ids, "top_ids": top.indices.tolist(), "top_logits": [round(v, 6) for v in top.values.tolist()],
           "max_abs": round(logits.abs().max().item(), 6)}
    with open(os.path.join(folder, "logits-check.json"), "w") as f:
        json.dump(out, f)
    return out


if __name__ == "__main__":
    import sys

    print(write_logits_check(sys.argv[1] if len(sys.argv) > 1 else "weights"))
