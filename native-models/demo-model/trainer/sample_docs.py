"""Content of the sample PDFs: blocks + facts + questions, from the training data's own templates.

Writes samples/sample-docs.json; samples/make-sample-pdfs.ts lays it out as PDFs (pdfkit) in
assets/samples/ with a question/answer JSON next to each. Deterministic (fixed seeds).
Usage: /usr/bin/python3 -m trainer.sample_docs
       /usr/bin/python3 -m trainer.sample_docs --held-out 10 --out /tmp/held-out/spec.json
"""

import argparse
import json
import os
import random

from . import bpe, datagen, filler
from . import facts as F
from . import words as W

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DOCS = [
    # name, title, seed, document tokens, fact kinds (each gets a near-miss distractor if it has one)
    ("harbour-authority-report", "Harbour Authority of Saltcombe: Annual Report", 101, 1900,
     ["code", "role", "stock", "date", "badge"]),
    ("meridian-institute-inventory", "Meridian Institute: Stores and Staff Register", 202, 2800,
     ["stock", "code", "platform", "role", "budget", "home"]),
    ("field-survey-notes", "Field Survey Notes: Valemont District", 303, 2900,
     ["date", "password", "code", "role", "magic", "stock", "home"]),
]


def build(title, seed, tokens, kinds, tok):
    rng = random.Random(seed)
    used_keys, used_values, placed = set(), set(), []
    for kind in kinds:
        f = F.make_fact(rng, kind)
        if (f.kind, f.key) in used_keys or f.value in used_values:
            continue
        used_keys.add((f.kind, f.key))
        used_values.add(f.value)
        group = [f] + F.distractors(f, rng, 1, used_keys, used_values)
        placed.append(group)
    state = {"section": 0, "page": 0}
    blocks, total = [], 0
    while total < tokens:
        b = datagen._filler_block(rng, "wrapped", state)
        blocks.append(b)
        total += tok.count(datagen.render_block(b, "prose", 10_000)) + 1
    # Spread the fact groups over the whole document (every depth), one region per group.
    all_facts = []
    for gi, group in enumerate(placed):
        lo = len(blocks) * gi // len(placed)
        hi = len(blocks) * (gi + 1) // len(placed)
        if group[0].kind in ("code", "stock", "role") and gi % 2 == 1 and len(group) > 1:
            blocks.insert(rng.randrange(lo, hi + 1), datagen.table_block(group))
        else:
            for f in group:
                paras = [i for i in range(lo, hi) if blocks[i]["type"] == "para"]
                if paras:
                    s = blocks[rng.choice(paras)]["sentences"]
                    s.insert(rng.randrange(1, len(s) + 1), F.statement(f, rng))
                else:
                    blocks.insert(lo, {"type": "para", "sentences": [filler.sentence(rng), F.statement(f, rng)]})
        all_facts += group
    blocks.insert(0, {"type": "title", "text": title})
    qa = [{"question": F.question(f, rng), "answer": f.value, "reply": datagen.answer_text(f), "kind": f.kind}
          for f in all_facts]
    return blocks, qa


def spec(docs, tok):
    """The sample-docs.json entries of (name, title, seed, tokens, kinds) documents."""
    out = []
    for name, title, seed, tokens, kinds in docs:
        blocks, qa = build(title, seed, tokens, kinds, tok)
        text = "\n\n".join(datagen.render_block(b, "prose", 10_000) for b in blocks)
        for q in qa:
            assert q["answer"] in text, q
        keep = [q["answer"] for q in qa]
        out.append({"name": name, "title": title, "tokens": tok.count(text), "keep": keep, "blocks": blocks, "qa": qa})
        print(f"{name}: {tok.count(text)} tokens, {len(qa)} questions")
    return out


def held_out_docs(n, seed=9000):
    """More documents like the samples for measuring changes on more than 36 questions: other seeds
    (so other facts and filler), 1,900-2,900 tokens, five to seven fact kinds each. Not shipped."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        kinds = rng.sample(F.KINDS, rng.randrange(5, 8))
        title = f"{rng.choice(W.ORGS)}: Report {i + 1}"
        docs.append((f"held-out-{i + 1:02d}", title, seed + 1 + i, rng.randrange(1900, 2901, 100), kinds))
    return docs


def training_sample(rng, tok, target_tokens, max_followups=0, reply="sentence"):
    """A training example (datagen.make_sample's format) from a document built like the sample
    PDFs: 5-7 fact kinds, each fact with its near-miss twin, spread over "wrapped" filler. Its own
    seed is drawn from 10^6 up, so it never repeats a sample PDF (101, 202, 303) or a held-out
    document (9001 on). These documents hold what the app's documents hold and training documents
    mostly do not: e.g. a date stated value first beside its organisation's other date stated key
    first, which is where CompressKV's smallest layer budget drops the asked date (demo README)."""
    kinds = rng.sample(F.KINDS, rng.randrange(5, 8))
    title = f"{rng.choice(W.ORGS)}: {filler.heading(rng)}"
    # About 15 tokens per stated fact come on top of the filler.
    blocks, qa = build(title, rng.randrange(10**6, 10**9), max(300, target_tokens - 30 * len(kinds)), kinds, tok)
    text = "\n\n".join(datagen.render_block(b, "prose", 10_000) for b in blocks)
    qa = [q for q in qa if q["answer"] in text]
    rng.shuffle(qa)
    first, rest = qa[0], qa[1:]
    messages = [{"role": "user", "content": datagen.wrap_user(text, first["question"], rng)}]

    def reply_of(q):
        return q["reply"] if reply == "sentence" else " " + q["answer"]

    out = {"messages": messages, "answer": reply_of(first), "value": first["answer"], "document": text,
           "question": first["question"], "kind": first["kind"], "followups": []}
    for q in rest[: rng.randrange(0, max_followups + 1)]:
        out["followups"].append({"question": q["question"], "answer": reply_of(q), "value": q["answer"]})
    return out


def write_spec(out, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(f"wrote {path}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--held-out", type=int, metavar="N",
                    help="instead: write N more documents (other seeds) to --out, for measuring only")
    ap.add_argument("--out", help="with --held-out: the spec file to write")
    args = ap.parse_args(argv)
    tok = bpe.Tokenizer.load(os.path.join(HERE, "weights", "tokenizer.json"))
    if args.held_out is not None:
        if args.held_out < 1 or not args.out:
            ap.error("--held-out takes a count of at least 1 and needs --out FILE")
        write_spec(spec(held_out_docs(args.held_out), tok), args.out)
        return
    write_spec(spec(DOCS, tok), os.path.join(HERE, "samples", "sample-docs.json"))
    path = os.path.join(HERE, "samples", "needles.json")
    pool = needles(404)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(pool, f, ensure_ascii=False, indent=1)
    print(f"wrote {path}")
    # Needle files for the CLI (--needles): the NIAH evaluation set and a disjoint calibration set,
    # so the retrieval heads are not ranked on the needles they are then measured on.
    for name, picks in (("niah-needles.jsonl", NIAH_PICKS), ("calibration-needles.jsonl", CALIBRATION_PICKS),
                        ("niah-needles-extra.jsonl", EXTRA_PICKS)):
        path = os.path.join(HERE, "samples", name)
        with open(path, "w", encoding="utf-8") as f:
            for i in picks:
                n = pool["needles"][i]
                f.write(json.dumps({"needle": n["needle"], "question": n["question"], "answer": n["answer"]}) + "\n")
        print(f"wrote {path}")
    path = os.path.join(HERE, "samples", "niah-needles-twins.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for n in twin_needles(505):
            f.write(json.dumps(n) + "\n")
    print(f"wrote {path}")


NIAH_PICKS = [0, 1, 2, 3, 4, 5, 6, 8]  # one needle of each of eight fact kinds
CALIBRATION_PICKS = list(range(20, 40))  # two of each kind, none shared with NIAH_PICKS
EXTRA_PICKS = list(range(40, 60))  # two more of each kind for a larger grid, shared with neither


def needles(seed, n_needles=60, n_filler=300):
    """In-distribution needles and filler for a needle-in-a-haystack harness written in TypeScript."""
    rng = random.Random(seed)
    out, keys, values = [], set(), set()
    while len(out) < n_needles:
        f = F.make_fact(rng, F.KINDS[len(out) % len(F.KINDS)])
        if (f.kind, f.key) in keys or f.value in values:
            continue
        keys.add((f.kind, f.key))
        values.add(f.value)
        out.append({"kind": f.kind, "needle": F.statement(f, rng), "question": F.question(f, rng),
                    "answer": f.value, "reply": datagen.answer_text(f)})
    return {
        "prompt": "user message = document + '\\n\\n' + question; reply = the key restated, then the answer (field reply), then <|im_end|>",
        "insert": "put a needle after a sentence end and a space (never at the start of a line), as in training",
        "needles": out,
        "filler": [filler.paragraph(rng) for _ in range(n_filler)],
    }


def twin_needles(seed, per_kind=2):
    """Needles with a near-miss twin (`niah-needles-twins.jsonl`): the same kind of fact sharing one
    key part ("north depot" / "south depot"), which the NIAH harness puts elsewhere in the haystack.
    Harder than the plain grid, as the sample PDFs are: the key must be matched, not just the kind."""
    rng = random.Random(seed)
    out = []
    for kind in F.KEY_SLOTS:
        for _ in range(per_kind):
            f = F.make_fact(rng, kind)
            twin = F.near_miss(f, rng)
            out.append({"needle": F.statement(f, rng), "question": F.question(f, rng), "answer": f.value,
                        "twin": F.statement(twin, rng)})
    return out


if __name__ == "__main__":
    main()
