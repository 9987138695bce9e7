"""Train the demo model on generated retrieval data, with a length curriculum.

Usage (from native-models/demo-model; the full commands are in README.md):
  /usr/bin/python3 -m trainer.train --run runs/full --threads 2 --steps 3000 --max-minutes 120
  /usr/bin/python3 -m trainer.train --run runs/full --resume ...      # continue after a stop
  python -m trainer.train --run runs/gpu --device cuda --steps 8000 --step-tokens 32768 ...
Checkpoints go to <run>/checkpoint.pt every --ckpt-every steps and at the end; the log to
<run>/train.log (JSON lines); the final export to --export (default weights/).
"""

import argparse
import os

if __name__ == "__main__":
    # Thread counts and tcmalloc must be in the environment before torch loads (cpu_env.py).
    from .cpu_env import prepare

    prepare()

import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from . import bpe, copy_circuit, dataset, datagen, eviction, export, facts, grow, select_eviction  # noqa: E402
from .head_drop import HeadDrop, reply_gates  # noqa: E402
from .model import Decoder, default_config, load_checkpoint, parse_heads  # noqa: E402

DEFAULT_SCHEDULE = "0.3:256,0.25:512,0.2:1024,0.15:2048,0.1:4096"


def parse_schedule(s):
    """'0.3:256,0.7:1024' -> [(end_fraction, max_len), ...]."""
    out, acc = [], 0.0
    for part in s.split(","):
        f, L = part.split(":")
        acc += float(f)
        out.append((acc, int(L)))
    return out


def parse_mix(s):
    """'4096:0.25,2048:0.75' -> ([4096, 2048], [0.25, 0.75])."""
    pairs = [p.split(":") for p in s.split(",")]
    return [int(L) for L, _ in pairs], [float(w) for _, w in pairs]


def length_for(schedule, frac, rng, floor=0):
    """Curriculum: the phase's max length half the time, shorter lengths otherwise (all depths).

    floor: a maximum length reached earlier by the adaptive curriculum (never shorter than that).
    """
    L = max(floor, next((L for end, L in schedule if frac < end), schedule[-1][1]))
    return rng.choices([L, max(128, L // 2), max(128, L // 4)], [0.5, 0.3, 0.2])[0]


def lr_at(step, progress, peak, warmup):
    """Linear warmup, then cosine from peak to peak/10 as progress goes 0 -> 1."""
    if step < warmup:
        return peak * (step + 1) / warmup
    t = min(1.0, progress)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


@torch.no_grad()
def evaluate(model, probes, device, max_len=None):
    """Teacher-forced accuracy: acc = whole reply right, value_acc = the copied value right.

    value_acc_evicted: the same with the reply reading only the copy sources (+-2) and the
    observation window of the prompt (eviction.eviction_masks with keep=0), i.e. the best a
    compressed cache can hold. max_len: skip probes longer than this (slow while training is short).
    """
    model.eval()
    res = {}
    c = model.config
    for L, items in probes.items():
        if max_len and L > max_len and L != min(probes):
            continue
        ok, vok, eok, loss, n = 0, 0, 0, 0.0, 0
        for ids, tgt, w, am, vm, src in items:
            logits = model(ids.to(device))
            am, vm, tgt = am.to(device), vm.to(device), tgt.to(device)
            pred = logits.argmax(-1)
            ok += int((pred[am] == tgt[am]).all())
            vok += int((pred[vm] == tgt[vm]).all())
            loss += torch.nn.functional.cross_entropy(logits[am], tgt[am]).item()
            masks = eviction.eviction_masks(am.cpu(), src, c["num_hidden_layers"], c["num_key_value_heads"],
                                            dataset.WINDOW, torch.Generator().manual_seed(0), force=True, keep=0.0)
            if masks is not None:
                logits = model(ids.to(device), evict=[m.to(device) for m in masks])
            eok += int((logits.argmax(-1)[vm] == tgt[vm]).all())
            n += 1
        res[L] = {"acc": ok / n, "value_acc": vok / n, "value_acc_evicted": eok / n, "loss": round(loss / n, 4)}
    model.train()
    return res


def attention_loss(probs, src, sup_heads, spans=None, offset_heads=((0, 0, 1),)):
    """Attention supervision: -log of the attention that each listed head puts on the source tokens.

    src[b, i] is the position whose token the model copies when it predicts token i+1 (a reply's
    value token copied from the document, the second copy of a repeated span), -1 elsewhere;
    spans[b, i] (default 1) the number of tokens from there to look at, each getting the same
    target (-mean of their log attention; the observation window's rows look at the whole value).
    offset_heads lists (layer, head, k): that head is taught to attend to i-k at every position
    (default: layer 0 head 0 to i-1, the previous-token half of the copy circuit; a head on i-2
    gives the induction match two tokens of context, to tell apart repeated tokens such as the
    two 1s of "8191").
    """
    b, i = (src >= 0).nonzero(as_tuple=True)
    s = src.shape[1]
    terms = []
    for layer, head, k in offset_heads:
        pos = torch.arange(k, s, device=src.device)
        terms.append(-(probs[layer][:, head, pos, pos - k] + 1e-6).log().mean())
    if len(b):
        start = src[b, i]
        n = spans[b, i] if spans is not None else torch.ones_like(start)
        k = torch.arange(int(n.max()), device=src.device)
        cols = (start[:, None] + k).clamp(max=s - 1)
        valid = (k < n[:, None]).float()
        for layer, head in sup_heads:
            p = probs[layer][b, head, i][torch.arange(len(b), device=src.device)[:, None], cols]
            terms.append(-(((p + 1e-6).log() * valid).sum(1) / valid.sum(1)).mean())
    return sum(terms) / len(terms) if terms else probs[0].new_zeros(())


def window_loss(probs, window_heads):
    """Attention supervision of window heads: -log of the attention that a head puts on positions
    i-hi..i-lo together, at every position i >= hi. window_heads lists (layer, head, lo, hi).

    Where inside the window the head looks is left to the rest of the loss. Meant for layer 0, so
    that a value's own position carries the words a few tokens before it: in the table row "coal
    (Eldwick)    23 drums" the material is five tokens before the " 2", and retrieval heads that
    match only the town cannot tell it from the candles row of the same depot."""
    terms = []
    for layer, head, lo, hi in window_heads:
        p = probs[layer][:, head]
        s = p.shape[-1]
        if s <= hi:
            continue
        rows = torch.arange(hi, s, device=p.device)
        cols = rows[:, None] - torch.arange(lo, hi + 1, device=p.device)[None, :]
        inside = p[:, rows[:, None], cols].sum(-1)
        terms.append(-(inside + 1e-6).log().mean())
    return sum(terms) / len(terms) if terms else probs[0].new_zeros(())


def line_starts(ids, newline_ids):
    """[b, S] -> [b, S]: the position of the first token of each position's line (the token after
    the last newline token before it; 0 on the first line)."""
    s = ids.shape[1]
    pos = torch.arange(s, device=ids.device).expand_as(ids)
    is_nl = torch.zeros_like(ids, dtype=torch.bool)
    for t in newline_ids:
        is_nl |= ids == t
    last_nl = torch.where(is_nl, pos, torch.full_like(pos, -1)).cummax(1).values
    # A newline token ends its own line: the line of position i starts after the last newline before i.
    before = torch.cat([torch.full_like(last_nl[:, :1], -1), last_nl[:, :-1]], 1)
    return before + 1


def line_loss(probs, starts, line_heads, skip=None):
    """Attention supervision of line-start heads: -log of the attention that a head puts on the
    first token of the line, at every position 1..reach tokens into a line. line_heads lists
    (layer, head, reach); starts comes from line_starts. skip [b, S] (bool, optional): positions
    left out, e.g. those where the same head is taught another target (--question-heads).

    Meant for a layer after the previous-token head, where a line's first token already knows it
    follows a newline: then a table row's value carries the row's first cell, the material that
    window_loss's example needs."""
    s = starts.shape[1]
    pos = torch.arange(s, device=starts.device).expand_as(starts)
    into = pos - starts
    terms = []
    for layer, head, reach in line_heads:
        taught = (into >= 1) & (into <= reach)
        if skip is not None:
            taught &= ~skip
        b, i = taught.nonzero(as_tuple=True)
        if len(b):
            p = probs[layer][b, head, i, starts[b, i]]
            terms.append(-(p + 1e-6).log().mean())
    return sum(terms) / len(terms) if terms else probs[0].new_zeros(())


def chain_loss(probs, carry, read, carry_heads, read_heads):
    """Attention supervision of value-first facts (dataset._chat_row "chain"): carry_heads attend
    from a key's last token to the value's first token, read_heads from the reply and the
    observation window to that key end. Zero when the batch has no such fact."""
    terms = [attention_loss(probs, t, heads, offset_heads=()) for t, heads in ((carry, carry_heads), (read, read_heads))
             if heads and (t >= 0).any()]
    return sum(terms) / len(terms) if terms else probs[0].new_zeros(())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="folder for checkpoint.pt and train.log")
    ap.add_argument("--tokenizer", default="weights", help="folder with tokenizer.json")
    ap.add_argument("--export", default="", help="folder for the exported weights (default RUN/weights; the app's "
                    "shipped model is the folder weights, so pass that only to replace it)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=1500, help="planned steps (sets the curriculum and LR decay)")
    ap.add_argument("--max-minutes", type=float, default=120.0)
    ap.add_argument("--step-tokens", type=int, default=8192)
    ap.add_argument("--micro-tokens", type=int, default=8192, help="tokens per forward pass (memory bound)")
    ap.add_argument("--schedule", default=DEFAULT_SCHEDULE)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--lm-weight", type=float, default=0.1, help="loss weight of document tokens")
    ap.add_argument("--max-followups", type=int, default=3, help="extra questions per document (later turns)")
    ap.add_argument("--eval-every", type=int, default=25)
    ap.add_argument("--eval-minutes", type=float, default=1e9, help="also evaluate when this long has passed")
    ap.add_argument("--ckpt-every", type=int, default=50)
    ap.add_argument("--probe-lengths", default="256,512,1024")
    ap.add_argument("--probes", type=int, default=24)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--intermediate", type=int, default=768)
    ap.add_argument("--value-weight", type=float, default=1.0, help="loss weight of copied value tokens")
    ap.add_argument("--kv-frac", type=float, default=0.0, help="share of rows that are key/value-list recall")
    ap.add_argument("--repeat-frac", type=float, default=0.0, help="share of rows that are repeated random ids")
    ap.add_argument("--repeat-small-vocab", type=float, default=0.0,
                    help="share of repeat rows over 8-48 distinct ids (needs multi-token matching)")
    ap.add_argument("--recall-end", type=float, default=1.0,
                    help="recall shares fall linearly to a third of their value by this progress")
    ap.add_argument("--adaptive", default="",
                    help="lengths, e.g. 256,512,1024,2048,4096: move to the next one when the probe value_acc "
                         "at the current one reaches --advance-at (the schedule still sets a minimum)")
    ap.add_argument("--advance-at", type=float, default=0.5)
    ap.add_argument("--head-dim", type=int, default=64)
    ap.add_argument("--rope-theta", type=float, default=1e8)
    ap.add_argument("--copy-circuit", action="store_true",
                    help="start from weights holding a previous-token + induction head (copy_circuit.py)")
    ap.add_argument("--attn-sup", type=float, default=0.0,
                    help="weight of the attention-supervision loss (see attention_loss)")
    ap.add_argument("--sup-heads", default="1:0,2:0,3:0",
                    help="layer:head list of query heads taught to attend to the copied token's source")
    ap.add_argument("--carry-heads", default="",
                    help="layer:head list taught to attend from a value-first fact's key end to its value (chain_loss)")
    ap.add_argument("--read-heads", default="",
                    help="layer:head list taught to attend from the question and reply to that key end (chain_loss)")
    ap.add_argument("--read-echo", action="store_true",
                    help="the reply reads the key end from its own copy of the key end's token, and the position "
                         "before the value reads that copy (dataset._chat_row)")
    ap.add_argument("--chain-after", action="store_true",
                    help="the value-first chain goes through the token after the key's last token, found from the "
                         "reply by the same previous-token feature (dataset._chat_row)")
    ap.add_argument("--value-first-direct", action="store_true",
                    help="value-first facts keep the copy heads' plain targets on the value as well as the chain "
                         "(dataset._chat_row)")
    ap.add_argument("--value-first-direct-alone", action="store_true",
                    help="as --value-first-direct, but only for a value-first fact that is the only fact of its kind "
                         "in the document, where copying by kind finds it (dataset._chat_row)")
    ap.add_argument("--drop-heads", default="",
                    help="layer:head list whose outputs are zeroed where --drop-share of the rows predict their "
                         "replies (head_drop.py), so that other heads learn to carry the copy")
    ap.add_argument("--drop-share", type=float, default=0.5, help="share of rows that --drop-heads applies to")
    ap.add_argument("--end-facts", type=float, default=0.0,
                    help="share of documents whose asked fact is their last sentence (datagen.make_document)")
    ap.add_argument("--question-heads", default="",
                    help="layer:head list taught to attend from the observation window to the question's key words")
    ap.add_argument("--ask-reply", action="store_true",
                    help="--question-heads also attend to those words from each reply's positions before its value "
                         "(dataset._chat_row)")
    ap.add_argument("--ask-key", action="store_true",
                    help="with --ask-reply: the reply's positions look at the question's first key word only "
                         "(facts.first_key_word), not its whole run of key words")
    ap.add_argument("--start-facts", type=float, default=0.0,
                    help="share of documents whose asked fact is their first sentence (datagen.make_document)")
    ap.add_argument("--table-facts", type=float, default=0.0,
                    help="share of documents whose asked fact is in a table, in any style (datagen.make_document)")
    ap.add_argument("--reply", choices=datagen.REPLY_STYLES, default="sentence",
                    help="how replies are worded: the key restated, then the value, or the value alone "
                         "(datagen.answer_text)")
    ap.add_argument("--evict", type=float, default=0.0,
                    help="share of chat rows whose reply reads a randomly evicted cache (eviction.py)")
    ap.add_argument("--evict-keep", default="0.01,0.6", help="range of the kept share of other positions")
    ap.add_argument("--evict-select", type=float, default=0.0,
                    help="share of the evicted rows whose cache is chosen as the app chooses it (select_eviction.py)")
    ap.add_argument("--evict-calibration", default="weights/calibration",
                    help="folder with heads.json and layer-scores.json for --evict-select's CompressKV")
    ap.add_argument("--evict-budgets", default="64,128,256,256,512",
                    help="budgets --evict-select draws from (one per row)")
    ap.add_argument("--evict-compress-share", type=float, default=0.7,
                    help="share of --evict-select rows that use CompressKV (the rest SnapKV)")
    ap.add_argument("--cross-facts", type=float, default=0.0,
                    help="share of documents that also state another kind's fact about the asked fact's town, "
                         "person or organisation (facts.other_kind_miss)")
    ap.add_argument("--dense-facts", type=float, default=0.0,
                    help="share of documents with 8-14 unrelated facts, as dense as the sample PDFs (datagen.make_document)")
    ap.add_argument("--twin-facts", type=float, default=0.0,
                    help="share of documents whose asked fact (two-part keys) has a near-miss twin for each key part")
    ap.add_argument("--value-first-lone", type=float, default=0.0,
                    help="share of value-first documents that state no other fact of the asked kind, as a needle in "
                         "prose (datagen.make_document)")
    ap.add_argument("--value-first-facts", type=float, default=0.0,
                    help="share of documents whose facts of the asked kind are all sentences worded value first "
                         "(datagen.make_document)")
    ap.add_argument("--report-docs", type=float, default=0.0,
                    help="share of rows (1,024 tokens or more) built like the sample PDFs (sample_docs.training_sample)")
    ap.add_argument("--value-repeats", type=float, default=0.0,
                    help="share of facts whose value holds a repeated digit or pair (facts.with_repeat)")
    ap.add_argument("--value-repeat-pairs", type=float, default=0.0,
                    help="share of those repeats that are two digits long where the value has four in a row "
                         "(\"46291\" -> \"46262\", facts.with_repeat)")
    ap.add_argument("--value-repeat-kinds", default=",".join(facts.REPEAT_KINDS),
                    help="fact kinds whose values --value-repeats touches")
    ap.add_argument("--stock-reply", default="town", choices=sorted(facts.STOCK_REPLIES),
                    help="how stock replies are worded (facts.STOCK_REPLIES)")
    ap.add_argument("--kind-weights", default="", help="e.g. role:2 - how often documents ask about each fact kind")
    ap.add_argument("--length-mix", default="",
                    help="e.g. 4096:0.25,2048:0.4,1024:0.35 - draw lengths from this mix instead of the curriculum")
    ap.add_argument("--init-from", default="",
                    help="start from this checkpoint.pt or exported folder (e.g. weights): its weights, fresh optimizer, step 0")
    ap.add_argument("--offset-heads", default="0:0:1",
                    help="layer:head:k list of heads taught to attend to position i-k (see attention_loss)")
    ap.add_argument("--window-heads", default="",
                    help="layer:head:lo:hi list of heads taught to attend within positions i-hi..i-lo (see window_loss)")
    ap.add_argument("--line-heads", default="",
                    help="layer:head:reach list of heads taught to attend to the first token of the line, "
                         "1..reach tokens into it (see line_loss)")
    ap.add_argument("--train-layers", default="",
                    help="e.g. 4: train only these layers, every other parameter frozen (see grow.py; with "
                         "--layers above --init-from's count the new layers start with zero output)")
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args()
    if a.ask_reply and not (a.question_heads and a.attn_sup):
        ap.error("--ask-reply teaches the heads of --question-heads (with --attn-sup > 0); give both")
    if a.ask_key and not a.ask_reply:
        ap.error("--ask-key changes what --ask-reply targets; give --ask-reply too")
    if a.value_first_direct and a.value_first_direct_alone:
        ap.error("--value-first-direct-alone narrows --value-first-direct; give one of them")

    torch.set_num_threads(a.threads)
    device = "cuda" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available()) else "cpu"
    os.makedirs(a.run, exist_ok=True)
    log_path = os.path.join(a.run, "train.log")
    ckpt_path = os.path.join(a.run, "checkpoint.pt")

    def log(rec):
        rec["time"] = round(time.time(), 1)
        line = json.dumps(rec)
        print(line, flush=True)
        with open(log_path, "a") as f:
            f.write(line + "\n")

    tok = bpe.Tokenizer.load(os.path.join(a.tokenizer, "tokenizer.json"))
    torch.manual_seed(a.seed)
    cfg = default_config(4096, a.layers, a.hidden, a.heads, a.kv_heads, a.intermediate, a.rope_theta, a.head_dim)
    if len(tok.vocab) > cfg["vocab_size"]:
        raise SystemExit(f"tokenizer has {len(tok.vocab)} tokens > vocab_size {cfg['vocab_size']}")
    model = Decoder(cfg).to(device)
    if a.init_from and not a.resume:
        base = load_checkpoint(a.init_from, device)[0]
        if len(base.model.layers) < a.layers:
            grown = grow.load_grown(model, base.state_dict())
            print(f"grew {len(base.model.layers)} layers to {a.layers}: new layers {grown} start with zero output")
        else:
            model.load_state_dict(base.state_dict())
    elif a.copy_circuit and not a.resume:
        copy_circuit.plant_copy_circuit(model.cpu())
        model.to(device)
    if a.train_layers:
        grow.freeze_except(model, [int(x) for x in a.train_layers.split(",")])
    decay = [p for n, p in model.named_parameters() if p.dim() == 2 and p.requires_grad]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2 and p.requires_grad]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95))
    step, tokens_seen, minutes_before, rng = 0, 0, 0.0, random.Random(a.seed)
    levels = [int(x) for x in a.adaptive.split(",")] if a.adaptive else []
    level = 0
    if a.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, tokens_seen, minutes_before = ck["step"], ck["tokens"], ck.get("minutes", 0.0)
        rng.setstate(ck["rng"])
        level = ck.get("level", 0)
        torch.set_rng_state(ck["torch_rng"])
        log({"event": "resume", "step": step})
    offset_heads = parse_heads(a.offset_heads)
    window_heads = parse_heads(a.window_heads)
    line_heads = parse_heads(a.line_heads)
    head_drop = HeadDrop(model, parse_heads(a.drop_heads)) if a.drop_heads else None
    drop_gen = torch.Generator().manual_seed(a.seed + 7)
    newline_ids = [i for i in range(len(tok.vocab)) if tok.decode([i]) == "\n"] if line_heads else []
    sup_heads, carry_heads, read_heads, question_heads = (parse_heads(x) if a.attn_sup else [] for x in
                                                          (a.sup_heads, a.carry_heads, a.read_heads, a.question_heads))
    n_params = sum(p.numel() for p in model.parameters())
    n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log({"event": "start", "params": n_params, "trainable": n_train, "device": device, "threads": a.threads, "config": cfg, "args": vars(a)})
    lengths = [int(x) for x in a.probe_lengths.split(",")]
    probes = dataset.probe_set(tok, 10_000 + a.seed, lengths, a.probes, a.reply)
    schedule = parse_schedule(a.schedule)
    mix = parse_mix(a.length_mix) if a.length_mix else None
    kind_weights = {k: float(w) for k, w in (p.split(":") for p in a.kind_weights.split(","))} if a.kind_weights else None
    facts.set_value_repeats(a.value_repeats, a.value_repeat_kinds.split(","), a.value_repeat_pairs)
    facts.set_stock_reply(a.stock_reply)
    r_min, r_max = (float(x) for x in a.evict_keep.split(","))
    evict_gen = torch.Generator().manual_seed(a.seed)
    if a.evict_select:
        srh, layer_scores = select_eviction.load_calibration(a.evict_calibration)
        select_budgets = tuple(int(x) for x in a.evict_budgets.split(","))
    # The rows not picked for selection are evicted at random with the rate that keeps --evict overall.
    p_random = a.evict * (1 - a.evict_select) / (1 - a.evict * a.evict_select) if a.evict < 1 else a.evict

    t_start = time.time()

    def minutes():
        return minutes_before + (time.time() - t_start) / 60

    def save():
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "tokens": tokens_seen,
                    "minutes": minutes(), "rng": rng.getstate(), "torch_rng": torch.get_rng_state(), "config": cfg, "level": level}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    t_last, tok_last = time.time(), 0
    t_eval = time.time()
    model.train()
    # Progress is whichever budget runs out first, steps or minutes (summed over resumes), so the
    # curriculum reaches its longest contexts and the LR decays even when time is the limit.
    progress = lambda: max(step / a.steps, minutes() / a.max_minutes)  # noqa: E731
    while progress() < 1.0:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, progress(), a.lr, a.warmup)
        L = rng.choices(*mix)[0] if mix else length_for(schedule, progress(), rng, levels[level] if levels else 0)
        cur_max = max(mix[0]) if mix else max(levels[level] if levels else 0,
                                                next((x for end, x in schedule if progress() < end), schedule[-1][1]))
        decay = 1.0 - (2 / 3) * min(1.0, progress() / a.recall_end)
        kv_frac, repeat_frac = a.kv_frac * decay, (a.repeat_frac * decay if L <= 512 else 0.0)
        micro_n = max(1, a.micro_tokens // L)
        n_micro = max(1, a.step_tokens // (micro_n * L))
        opt.zero_grad(set_to_none=True)
        tot_loss, tot_ans, tot_aux, tot_chain, tot_q, tot_window, tot_line, step_tok = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0
        for _ in range(n_micro):
            ids, tgt, w, am, src, spans, carry, read, ask, ask_spans, qstart = dataset.make_batch(
                tok, rng, micro_n, L, a.lm_weight, max_followups=a.max_followups, value_weight=a.value_weight,
                kv_frac=kv_frac, repeat_frac=repeat_frac, small_vocab=a.repeat_small_vocab, sources=True,
                kind_weights=kind_weights, with_spans=True, with_chain=True, end_share=a.end_facts,
                start_share=a.start_facts, with_question=True, reply=a.reply,
                table_share=a.table_facts, cross_share=a.cross_facts, with_qstart=True,
                dense_share=a.dense_facts, report_share=a.report_docs, ask_reply=a.ask_reply,
                ask_key=a.ask_key, twin_share=a.twin_facts, value_first_share=a.value_first_facts,
                read_echo=a.read_echo, chain_after=a.chain_after,
                value_first_direct="alone" if a.value_first_direct_alone else a.value_first_direct,
                lone_share=a.value_first_lone)
            selected = select_eviction.pick_rows(am, qstart, a.evict * a.evict_select, evict_gen) if a.evict_select else []
            random_am = am.clone()
            for b, _, _, _ in selected:
                random_am[b] = False
            # An evicted reply keeps what it reads: copy sources and, for value-first facts, the key end.
            pins = torch.where(read >= 0, read, src)
            masks = eviction.eviction_masks(random_am, pins, cfg["num_hidden_layers"], cfg["num_key_value_heads"],
                                            dataset.WINDOW, evict_gen, p_random, r_min, r_max) if a.evict else None
            if masks is not None:
                masks = [m.to(device) for m in masks]
            if selected:
                masks = [select_eviction.LayerSelection(rows, cfg["num_key_value_heads"], masks[l] if masks else None)
                         for l, rows in enumerate(select_eviction.plans(
                             selected, cfg["num_hidden_layers"], srh, layer_scores, evict_gen, select_budgets,
                             a.evict_compress_share))]
            if head_drop:
                head_drop.gate = reply_gates(am, a.drop_share, drop_gen).to(device)
            ids, tgt, w, am, src, spans, carry, read, ask, ask_spans = (
                t.to(device) for t in (ids, tgt, w, am, src, spans, carry, read, ask, ask_spans))
            logits, probs = model(ids, True, masks) if sup_heads else (model(ids, False, masks), None)
            if head_drop:
                head_drop.gate = None  # evaluation passes run with every head
            ce = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.view(-1), reduction="none")
            ce = ce.view(tgt.shape)
            loss = (ce * w).sum() / w.sum()
            if sup_heads:
                aux = attention_loss(probs, src, sup_heads, spans, offset_heads)
                tot_aux += aux.item() / n_micro
                loss = loss + a.attn_sup * aux
                if window_heads:
                    wl = window_loss(probs, window_heads)
                    tot_window += wl.item() / n_micro
                    loss = loss + a.attn_sup * wl
                if line_heads:
                    skip = (ask >= 0) if question_heads else None  # there the question head's target wins
                    ll = line_loss(probs, line_starts(ids, newline_ids), line_heads, skip)
                    tot_line += ll.item() / n_micro
                    loss = loss + a.attn_sup * ll
                if carry_heads or read_heads:
                    ch = chain_loss(probs, carry, read, carry_heads, read_heads)
                    tot_chain += ch.item() / n_micro
                    loss = loss + a.attn_sup * ch
                if question_heads and (ask >= 0).any():
                    qa = attention_loss(probs, ask, question_heads, ask_spans, offset_heads=())
                    tot_q += qa.item() / n_micro
                    loss = loss + a.attn_sup * qa
            loss = loss / n_micro
            loss.backward()
            tot_loss += loss.item()
            if am.any():  # a micro-batch of repeat rows only has no answers
                tot_ans += (ce[am].mean().item()) / n_micro
            step_tok += ids.numel()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens_seen += step_tok
        tok_last += step_tok
        if step % 5 == 0 or step == 1:
            dt = time.time() - t_last
            log({"step": step, "len": L, "progress": round(progress(), 4), "loss": round(tot_loss, 4), "answer_loss": round(tot_ans, 4), "attn_loss": round(tot_aux, 4),
                 "chain_loss": round(tot_chain, 4), "question_loss": round(tot_q, 4),
                 "window_loss": round(tot_window, 4), "line_loss": round(tot_line, 4),
                 "lr": round(opt.param_groups[0]["lr"], 6), "tok_per_s": round(tok_last / dt, 1), "tokens": tokens_seen})
            t_last, tok_last = time.time(), 0
        evaluated = step % a.eval_every == 0 or time.time() - t_eval > 60 * a.eval_minutes
        if evaluated:
            t_eval = time.time()
            ev = evaluate(model, probes, device, cur_max)
            log({"step": step, "eval": ev, "level": levels[level] if levels else None})
            # Adaptive curriculum: grow the context once copying works at the current length.
            if levels and level + 1 < len(levels):
                probe_L = max((x for x in ev if x <= levels[level]), default=None)
                if probe_L is not None and ev[probe_L]["value_acc"] >= a.advance_at:
                    level += 1
                    log({"step": step, "event": "advance", "max_len": levels[level]})
            t_last, tok_last = time.time(), 0
        if step % a.ckpt_every == 0 or evaluated:  # also after every evaluation
            save()
    save()
    final = evaluate(model, probes, device)
    log({"event": "end", "step": step, "tokens": tokens_seen, "minutes": round(minutes(), 2), "eval": final})
    model.to("cpu")
    out = a.export or os.path.join(a.run, "weights")
    export.export(model, a.tokenizer, out, {"steps": step, "tokens": tokens_seen})
    log({"event": "exported", "dir": out})


if __name__ == "__main__":
    main()
