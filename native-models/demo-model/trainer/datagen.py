"""Synthetic long documents with facts at any depth, and questions whose answer is a span.

A document is a list of blocks (heading, paragraph, list, table, page break) so that the same
structure renders as plain text for training and as a real PDF for the sample documents. Styles
imitate text extracted from PDFs: headings, numbered lists, tables as text, page-break lines,
hard-wrapped lines.
"""

import random

from . import facts as F
from . import filler
from . import words as W

REPLY_STYLES = ("sentence", "value")


def answer_text(fact, reply="sentence"):
    """The assistant's reply. The value follows a space, as in the document, so its tokens are the
    same ids as in the document (copying is token-exact, which retrieval heads need).

    "sentence" restates the key, then gives the value ("The password chosen by Ronja Castellan is
    pomegranate."). "value" is the value alone (" pomegranate"): its first token is predicted by the
    prompt's last position, which still reads the full cache (compression runs after the prefill),
    and the rest copy on from the value's kept tokens. A restated key instead has to be read back
    from the question, which a compressed cache mostly no longer holds (the observation window is
    its last 8 tokens).
    """
    if reply == "value":
        return " " + fact.value
    if reply != "sentence":
        raise ValueError(f"reply must be one of {REPLY_STYLES}, got {reply!r}")
    return F.answer(fact)


def _filler_block(rng, style, state):
    r = rng.random()
    if style != "prose" and r < 0.12:
        state["section"] += 1
        return {"type": "heading", "text": filler.heading(rng, state["section"] if rng.random() < 0.7 else None)}
    if style != "prose" and r < 0.22:
        items = [filler.list_item(rng) for _ in range(rng.randrange(2, 6))]
        return {"type": "list", "items": items, "numbered": rng.random() < 0.6}
    if style == "report" and r < 0.30:
        state["page"] += 1
        return {"type": "page", "n": state["page"]}
    return {"type": "para", "sentences": [filler.sentence(rng) for _ in range(rng.randrange(2, 8))]}


def _place_fact(rng, blocks, fact, style, value_first=False):
    """Put a fact somewhere (uniform depth) as a sentence, a list record or its own paragraph.
    value_first: as a sentence, worded value first where the kind has such a wording."""
    idx = rng.randrange(len(blocks) + 1)
    paras = [i for i in range(max(0, idx - 3), min(len(blocks), idx + 3)) if blocks[i]["type"] == "para"]
    r = rng.random()
    lead = F.value_first_statement(fact, rng) if value_first else None
    if not lead and style != "prose" and r < 0.2:
        blocks.insert(idx, {"type": "list", "items": [F.record(fact)], "numbered": False, "record": True})
    elif paras and (lead or r < 0.85):
        sents = blocks[rng.choice(paras)]["sentences"]
        # Never first in a paragraph: the value then always follows a space (same tokens as the answer).
        sents.insert(rng.randrange(1, len(sents) + 1), lead or F.statement(fact, rng))
    else:
        blocks.insert(idx, {"type": "para", "sentences": [filler.sentence(rng), lead or F.statement(fact, rng)]})


TABLE_KINDS = ("code", "role", "stock", "date", "platform")


def table_block(rows_facts):
    """A table block of same-kind facts, one row each in the given order: the key in words, then
    the cell that holds the value (Fact.cell)."""
    f0 = rows_facts[0]
    head = {"code": "Facility", "role": "Position", "stock": "Material", "date": "Event", "platform": "Service"}
    rows = [[f.row_label, f.cell] for f in rows_facts]
    return {"type": "table", "header": [head.get(f0.kind, "Item"), f0.column], "rows": rows}


def _place_table(rng, blocks, rows_facts, sep=None):
    """A table of same-kind facts (one row each, shuffled) at a uniform depth. sep: how its cells
    are joined; None leaves it to the rendering width (render_block)."""
    block = table_block(rows_facts)
    rng.shuffle(block["rows"])
    if sep is not None:
        block["sep"] = sep
    blocks.insert(rng.randrange(len(blocks) + 1), block)


def make_document(rng, target_tokens, count=None, style=None, kind_weights=None, end_share=0.0, start_share=0.0,
                  table_share=0.0, cross_share=0.0, dense_share=0.0, twin_share=0.0, value_first_share=0.0,
                  lone_share=0.0):
    """Blocks of filler holding one target fact, distractors of its kind and unrelated facts.

    count(text) -> tokens; defaults to a characters/4 estimate. Returns (blocks, target, facts).
    kind_weights: {kind: weight} for the target fact's kind (default: all kinds alike).
    end_share: how often the target fact is the document's last sentence, right before the question
    (where a needle at depth 1 sits); otherwise it is as likely there as anywhere else.
    start_share: how often the target fact is the document's first sentence (where a needle at
    depth 0 sits). A value that starts the document has no space before it, so its tokens differ
    from the reply's ("Y" + "ara" for " Yara"); elsewhere a fact never starts a paragraph. Such a
    first fact mostly uses the kind's value-first wording, where it has one.
    table_share: how often, in any style, the target fact and its same-kind distractors are a table
    (kinds with a table form), 60% of them with cells joined by one space, which is how the app's
    PDF text extraction returns a table ("auditor, Ashford Water Board Quentin Pemberton"). Without
    it, only 35% of report-style documents get a table.
    cross_share: how often the document also states a fact of another kind about the target's town,
    person or organisation (facts.other_kind_miss).
    dense_share: how often the document holds 8-14 unrelated facts instead of 0-3, as many facts
    per page as the sample PDFs (their 2,200-3,500 tokens hold 10-14 asked facts and twins).
    twin_share: how often a target with a two-part key (facts.KEY_SLOTS) gets one near-miss twin
    for each part ("coal (Eldwick)" gets "candles (Eldwick)" and "coal (Varden)"), so that neither
    part alone finds it; otherwise twins come only from the distractors' 60% chance each.
    value_first_share: how often the target and every other fact of its kind are sentences worded
    value first (where the kind has such a wording, facts.value_first_statement), so that a reply
    has to tell apart several value-first facts of one kind by their keys, as the sample PDF's two
    stock sentences "There are 16 drums of paper reams in the depot in Corriedale." and "There are
    300 cartons of candles in the depot in Zennor." (not in a table, then).
    lone_share: how often such a value-first document keeps no other fact of the target's kind
    (no distractors, no twins), as a needle in a haystack of prose: then the value can be found by
    its kind alone, before its key is read.
    """
    count = count or (lambda s: len(s) // 4)
    style = style or rng.choice(["prose", "report", "wrapped"])
    kind = rng.choices(F.KINDS, [kind_weights.get(k, 1.0) for k in F.KINDS])[0] if kind_weights else None
    target = F.make_fact(rng, kind)
    used_keys, used_values = {(target.kind, target.key)}, {target.value}
    n_dis = rng.choice([0, 1, 2, 3, 4, 6]) if target_tokens > 300 else rng.choice([0, 1, 2])
    facts = [target] + F.distractors(target, rng, n_dis, used_keys, used_values)

    def add_if_new(f):
        if (f.kind, f.key) not in used_keys and f.value not in used_values:
            used_keys.add((f.kind, f.key))
            used_values.add(f.value)
            facts.append(f)
            return True
        return False

    # No draw without twin_share, so documents stay reproducible from the seeds of earlier runs.
    if twin_share and target.kind in F.KEY_SLOTS and rng.random() < twin_share:
        for part in F.KEY_SLOTS[target.kind]:
            if any(f.slots[part] == target.slots[part] for f in facts[1:]):
                continue  # a distractor is already this part's twin
            for _ in range(20):  # a twin whose key or value is taken is drawn again
                if add_if_new(F.near_miss(target, rng, part)):
                    break

    # No draw without dense_share, so documents stay reproducible from the seeds of earlier runs.
    dense = bool(dense_share) and rng.random() < dense_share
    for _ in range(rng.randrange(8, 15) if dense else rng.randrange(0, 4)):
        add_if_new(F.make_fact(rng))
    # No draw without cross_share, so documents stay reproducible from the seeds of earlier runs.
    if cross_share and rng.random() < cross_share:
        f = F.other_kind_miss(target, rng)
        if f and target.value not in f.value:
            add_if_new(f)
    fact_tokens = sum(count(F.record(f)) + 6 for f in facts)
    state = {"section": 0, "page": 0}
    blocks, total = [], fact_tokens
    if style != "prose":
        blocks.append({"type": "title", "text": f"{rng.choice(W.ORGS)}: {filler.heading(rng)}"})
    while total < target_tokens:
        b = _filler_block(rng, style, state)
        c = count(render_block(b, style, 10_000)) + 1
        if total + c > target_tokens and len(blocks) > 1:
            break  # stay at or under the target length
        blocks.append(b)
        total += c
    same = [f for f in facts if f.kind == target.kind]
    rest = [f for f in facts if f.kind != target.kind]
    # No draw without value_first_share, so documents stay reproducible from the seeds of earlier runs.
    value_first = bool(value_first_share) and rng.random() < value_first_share
    # No draw without lone_share, so documents stay reproducible from the seeds of earlier runs.
    if value_first and lone_share and rng.random() < lone_share:
        facts = [f for f in facts if f is target or f.kind != target.kind]
        same = [target]
    tables = not value_first and target.kind in TABLE_KINDS
    # No draw without table_share, so documents stay reproducible from the seeds of earlier runs.
    if tables and table_share and rng.random() < table_share:
        _place_table(rng, blocks, same, " " if rng.random() < 0.6 else rng.choice([" | ", "    "]))
        same = []
    elif tables and style == "report" and rng.random() < 0.35:
        _place_table(rng, blocks, same)
        same = []
    # No draw without end_share, so documents stay reproducible from the seeds of earlier runs.
    at_end = bool(end_share) and rng.random() < end_share and target in same
    at_start = not at_end and bool(start_share) and rng.random() < start_share and target in same
    for f in same + rest:
        if not ((at_end or at_start) and f is target):
            _place_fact(rng, blocks, f, style, value_first and f in same)
    if at_end:
        blocks.append({"type": "para", "sentences": [filler.sentence(rng), F.statement(target, rng)]})
    if at_start:
        # Mostly the value-first wording where the kind has one: its value then has no space before it.
        lead = F.leading_statement(target)
        first = lead if lead and rng.random() < 0.7 else F.statement(target, rng)
        more = [filler.sentence(rng) for _ in range(rng.randrange(1, 4))]
        blocks.insert(0, {"type": "para", "sentences": [first] + more})
    return {"blocks": blocks, "style": style, "target": target, "facts": facts}


def _wrap(text, width, keep):
    """Hard line breaks like text extracted from a PDF; never inside (or just before) `keep`."""
    glued = text.replace(" " + keep, "\x00" + keep.replace(" ", "\x00")) if keep else text
    lines, line = [], ""
    for word in glued.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines).replace("\x00", " ")


def render_block(b, style, width, keep=None):
    t = b["type"]
    if t == "para":
        text = " ".join(b["sentences"])
        return _wrap(text, width, keep) if style == "wrapped" else text
    if t in ("heading", "title"):
        return b["text"].upper() if t == "title" else b["text"]
    if t == "list":
        return "\n".join((f"{i + 1}. " if b["numbered"] else "- ") + it for i, it in enumerate(b["items"]))
    if t == "table":
        # The last: cells joined by one space, as the app's PDF text extraction gives a table.
        sep = b.get("sep", (" | ", "    ", " ")[width % 3])
        return "\n".join(sep.join(r) for r in [b["header"]] + b["rows"])
    if t == "page":
        return f"Page {b['n']}" if width % 3 else f"- {b['n']} -"
    raise ValueError(t)


def render(doc, rng):
    """Plain text of a document (what a PDF text extractor might return)."""
    width = rng.randrange(55, 100)
    sep = "\n" if doc["style"] == "wrapped" and rng.random() < 0.5 else "\n\n"
    return sep.join(render_block(b, doc["style"], width, doc["target"].value) for b in doc["blocks"])


SYSTEM_PROMPTS = [
    "You answer questions about the document the user gives you.",
    "Answer with the fact from the document.",
]


def wrap_user(document, question, rng):
    """The user message: the document first (shared prefix for every question), then the question."""
    r = rng.random()
    if r < 0.5:
        return f"{document}\n\n{question}"
    if r < 0.8:
        return f"Document:\n{document}\n\nQuestion: {question}"
    return f"{document}\n\nAnswer using the document above. {question}"


def twin_facts(doc, text):
    """{key part: the first fact of the asked fact's kind, stated in the text, that shares that part
    of its key} (facts.KEY_SLOTS names): {"city": candles (Eldwick)} for "coal (Eldwick)". Empty for
    kinds with a one-part key and for documents without twins."""
    target = doc["target"]
    same = [f for f in doc["facts"][1:] if f.kind == target.kind and f.value in text]
    out = {}
    for part in F.KEY_SLOTS.get(target.kind, []):
        twin = next((f for f in same if f.slots[part] == target.slots[part]), None)
        if twin:
            out[part] = twin
    return out


def make_sample(rng, target_tokens, count=None, max_followups=0, kind_weights=None, end_share=0.0,
                start_share=0.0, reply="sentence", table_share=0.0, cross_share=0.0, dense_share=0.0,
                twin_share=0.0, value_first_share=0.0, lone_share=0.0):
    """One training/probe example: messages (system?, user) plus the answer and its value.

    With max_followups > 0, up to that many further questions about other facts of the same
    document follow as later chat turns ("followups": [{question, answer, value}]): each costs a
    few tokens but adds a retrieval target, so training sees several answers per long document.
    reply: how answers are worded (answer_text). table_share, cross_share, dense_share, twin_share,
    value_first_share, lone_share: see make_document. "alone" (in the sample and each follow-up) says whether
    the asked fact is the only fact of its kind that the text states.
    """
    doc = make_document(rng, target_tokens, count, kind_weights=kind_weights, end_share=end_share,
                        start_share=start_share, table_share=table_share, cross_share=cross_share,
                        dense_share=dense_share, twin_share=twin_share, value_first_share=value_first_share,
                        lone_share=lone_share)
    text = render(doc, rng)
    q = F.question(doc["target"], rng)
    stated = [f for f in doc["facts"] if f.value in text]

    def alone(fact):
        # The only fact of its kind that the text states: its value can be found by kind alone.
        return sum(g.kind == fact.kind for g in stated) == 1

    messages = []
    if rng.random() < 0.3:
        messages.append({"role": "system", "content": rng.choice(SYSTEM_PROMPTS)})
    messages.append({"role": "user", "content": wrap_user(text, q, rng)})
    out = {"messages": messages, "answer": answer_text(doc["target"], reply), "value": doc["target"].value,
           "document": text, "question": q, "kind": doc["target"].kind, "twins": twin_facts(doc, text),
           "key_word": F.first_key_word(doc["target"], q), "alone": alone(doc["target"]), "followups": []}
    if max_followups > 0:
        others = [f for f in stated if f is not doc["target"]]
        rng.shuffle(others)
        for f in others[: rng.randrange(0, max_followups + 1)]:
            fq = F.question(f, rng)
            out["followups"].append({"question": fq, "answer": answer_text(f, reply), "value": f.value,
                                     "key_word": F.first_key_word(f, fq), "alone": alone(f)})
    return out


def corpus_text(seed, n_docs, tokens=600):
    """Plain text for training the tokenizer (documents, questions and answers)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n_docs):
        s = make_sample(rng, tokens)
        out.append(s["messages"][-1]["content"] + "\n" + s["answer"])
    return out
