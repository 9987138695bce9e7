"""Associative-recall warm-up tasks that make a small model learn to copy before it reads documents.

Pilots trained only on document QA learned the reply template but not to copy the value (the
loss plateau before induction heads form). Two cheap tasks give a gradient that only copying can
lower, so induction / retrieval heads form within a few hundred steps:
- repeat: a random token sequence, then the same sequence again; loss only on the repeat.
- kv list: "key: value" lines with random codes as values, then chat questions about some keys;
  the reply restates the key and copies the value (same shape as the document replies).
"""

from . import facts as F
from . import words as W

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def repeat_row(rng, length, vocab_lo=259, vocab_hi=4096, small_vocab=0.0):
    """(ids, weights, sources): random ids with a segment R that occurs twice; weight 1 on the second R.

    R (an eighth to a third of the row) starts at a random place and recurs after a random gap,
    so only matching content finds it (a fixed offset cannot: the first version used R R with
    period length/2, which a model can solve with positional attention alone). Ids come from the
    learned merges, so R cannot be predicted from priors; weights[i] is the weight of predicting
    ids[i] (the first id of the second R has weight 0). small_vocab: share of rows drawn from
    8-48 distinct ids, where one previous token is ambiguous and two or more must match.
    """
    length = max(16, length)
    if rng.random() < small_vocab:
        alphabet = rng.sample(range(vocab_lo, vocab_hi), rng.randrange(8, 49))
        draw = lambda: rng.choice(alphabet)  # noqa: E731
    else:
        draw = lambda: rng.randrange(vocab_lo, vocab_hi)  # noqa: E731
    ids = [draw() for _ in range(length)]
    n = rng.randrange(max(4, length // 8), max(5, length // 3) + 1)
    a = rng.randrange(0, length - 2 * n + 1)
    b = rng.randrange(a + n, length - n + 1)
    ids[b : b + n] = ids[a : a + n]
    weights = [0.0] * length
    weights[b + 1 : b + n] = [1.0] * (n - 1)
    sources = [-1] * length
    sources[b + 1 : b + n] = range(a + 1, a + n)
    return ids, weights, sources


def _code(rng):
    d = "".join(rng.choice("0123456789") for _ in range(rng.randrange(3, 6)))
    letters = "".join(rng.choice(LETTERS) for _ in range(rng.randrange(1, 3)))
    r = rng.random()
    if r < 0.4:
        return f"{d}-{letters}"
    if r < 0.7:
        return f"{letters}-{d}"
    return d


def _key(rng, style):
    if style == 0:
        return f"record {rng.randrange(1, 1000)}", "Record {k}"
    if style == 1:
        return f"{rng.choice(W.FIRST_NAMES)} {rng.choice(W.LAST_NAMES)}", "{k}"
    return f"the {rng.choice(W.PLACE_ADJ)} {rng.choice(W.FACILITIES)}", "{k}"


def kv_sample(rng, target_tokens, count, max_questions=4, reply="sentence"):
    """A chat sample in datagen.make_sample's shape: a list of key/value lines, then questions.

    Keys are unique within the list; values are random digit/letter codes (tokens the model cannot
    guess). The first question is the main answer, the rest are follow-up turns. reply: as in
    datagen.answer_text ("value": the value alone, after a space).
    """
    style = rng.randrange(3)
    noun = rng.choice(["code", "number", "reference", "pin"])
    sep = rng.choice([": ", " - ", " has {noun} ", " = "])
    lines, pairs, seen, total = [], [], set(), 0
    while total < target_tokens or len(pairs) < 2:
        key, fmt = _key(rng, style)
        if key in seen:
            continue
        seen.add(key)
        value = _code(rng)
        label = fmt.format(k=key)
        label = label[0].upper() + label[1:]
        line = f"{label}{sep.format(noun=noun)}{value}"
        lines.append(line)
        pairs.append((key, value))
        total += count(line) + 1
        if len(pairs) > 400:
            break
    if total > target_tokens and len(pairs) > 2:
        lines.pop()
        pairs.pop()
    rng_pairs = list(pairs)
    rng.shuffle(rng_pairs)
    asked = rng_pairs[: 1 + rng.randrange(0, max_questions)]

    def qa(key, value):
        q = rng.choice([f"What is the {noun} of {key}?", f"Which {noun} belongs to {key}?"])
        return q, (" " + value if reply == "value" else F._cap(f"the {noun} of {key} is {value}."))

    q0, a0 = qa(*asked[0])
    text = "\n".join(lines)
    out = {"messages": [{"role": "user", "content": f"{text}\n\n{q0}"}], "answer": a0, "value": asked[0][1],
           "question": q0, "followups": []}
    for key, value in asked[1:]:
        q, a = qa(key, value)
        out["followups"].append({"question": q, "answer": a, "value": value})
    return out
