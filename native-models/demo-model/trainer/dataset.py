"""Tokenised training examples: chat prompt + answer, with per-position loss weights."""

import random

import torch

from . import datagen
from .train_tokenizer import render_chat


def encode_sample(tok, sample):
    """Token segments [(ids, is_answer)]: prompt, answer, then any follow-up question and answer.

    Answers are encoded on their own, as the model generates them after the prompt. Segments
    meet at special tokens or right after 'assistant\\n', so their concatenation equals encoding
    the whole rendered chat (checked in tests).
    """
    end = tok.special_ids["<|im_end|>"]
    segs = [(tok.encode(render_chat(sample["messages"], True)), False),
            (tok.encode(sample["answer"]) + [end], True)]
    for f in sample.get("followups", []):
        turn = "\n" + render_chat([{"role": "user", "content": f["question"]}], True)
        segs.append((tok.encode(turn), False))
        segs.append((tok.encode(f["answer"]) + [end], True))
    return segs


def make_batch(tok, rng, n, target_tokens, lm_weight, pad_id=0, max_followups=0, value_mask=False):
    """n examples of about target_tokens each -> (ids [n,S], targets [n,S], weights [n,S], answer_mask).

    answer_mask marks the positions that predict answer tokens (all turns); weights are 1 there
    and lm_weight on the other positions (document language modelling). With value_mask, a fifth
    tensor marks the positions that predict the first reply's value tokens (the copied span).
    """
    rows, values = [], []
    for _ in range(n):
        # About 45 tokens go to the template, the question and the answer (+ ~25 per follow-up).
        s = datagen.make_sample(rng, max(64, target_tokens - 45 - 25 * max_followups), tok.count, max_followups)
        rows.append(encode_sample(tok, s))
        values.append(tok.encode(" " + s["value"]))
    S = max(sum(len(ids) for ids, _ in segs) for segs in rows)
    ids = torch.full((n, S), pad_id, dtype=torch.long)
    tgt = torch.full((n, S), pad_id, dtype=torch.long)
    w = torch.zeros((n, S))
    amask = torch.zeros((n, S), dtype=torch.bool)
    vmask = torch.zeros((n, S), dtype=torch.bool)
    for r, segs in enumerate(rows):
        p_len, ans, val = len(segs[0][0]), segs[1][0], values[r]
        j = next(i for i in range(len(ans)) if ans[i : i + len(val)] == val)
        vmask[r, p_len + j - 1 : p_len + j + len(val) - 1] = True
        seq = [t for seg, _ in segs for t in seg]
        ids[r, : len(seq)] = torch.tensor(seq)
        tgt[r, : len(seq) - 1] = torch.tensor(seq[1:])
        pos = 0
        for seg, is_answer in segs:
            # Position i predicts token i+1: an answer segment [pos, pos+len) is predicted from pos-1.
            if is_answer:
                w[r, pos - 1 : pos + len(seg) - 1] = 1.0
                amask[r, pos - 1 : pos + len(seg) - 1] = True
            else:
                w[r, max(0, pos - 1) : pos + len(seg) - 1] = lm_weight
            pos += len(seg)
    return (ids, tgt, w, amask, vmask) if value_mask else (ids, tgt, w, amask)


def probe_set(tok, seed, lengths, per_length):
    """Held-out probes (a seed never used for training batches)."""
    rng = random.Random(seed)
    return {L: [make_batch(tok, rng, 1, L, 0.0, value_mask=True) for _ in range(per_length)] for L in lengths}
