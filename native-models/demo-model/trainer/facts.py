"""Fact kinds: a key, a value, several ways to state the fact and to ask for it.

Every statement template contains the value verbatim, and every answer is exactly that value, so
the model learns to copy a span from the document (what retrieval heads do). Facts of one kind
with other keys serve as distractors: the model must match the key, not just find a code.
"""

from dataclasses import dataclass, field
import random

from . import words as W


@dataclass
class Fact:
    kind: str
    key: tuple  # identifies the fact within a document (distractors differ in key)
    value: str  # the answer span, verbatim in every statement
    slots: dict = field(default_factory=dict)
    column: str = ""  # table column header for the value
    row_label: str = ""  # table row label (the key in words)

    @property
    def cell(self):
        """The table cell that holds the value: everything the reply restates besides the key, so a
        stock row says "46 sacks" (the reply names the unit; a bare "46" made the model guess it)."""
        return f"{self.value} {self.slots['unit']}" if self.kind == "stock" else self.value


def _name(rng):
    return f"{rng.choice(W.FIRST_NAMES)} {rng.choice(W.LAST_NAMES)}"


def _role(rng):
    return rng.choice(W.ROLES).replace("-", " ")


def _code(rng):
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    style = rng.randrange(4)
    d4 = "".join(rng.choice("0123456789") for _ in range(4))
    l2 = "".join(rng.choice(letters) for _ in range(2))
    if style == 0:
        return f"{d4}-{l2}"
    if style == 1:
        return f"{l2}-{d4}"
    if style == 2:
        return "".join(rng.choice(letters) for _ in range(3)) + d4[:3]
    return f"{d4[:2]}{l2}{d4[2:]}"


def _number(rng):
    n = rng.choice([rng.randrange(12, 100), rng.randrange(100, 1000), rng.randrange(1000, 99999)])
    return f"{n:,}" if rng.random() < 0.5 else str(n)


def _date(rng):
    return f"{rng.randrange(1, 29)} {rng.choice(W.MONTHS)} {rng.randrange(1890, 2031)}"


# Share of facts whose value gets a repeated digit ("4777", "40LE33") or a repeated pair ("46262").
# Copying such a value is where a small model slips (it writes "477" or "462626"): after a "7" the
# document holds two places that followed a "7". 0 draws nothing, so documents stay reproducible.
REPEAT_KINDS = ("code", "stock", "budget", "badge", "magic")
_value_repeats = {"share": 0.0, "kinds": REPEAT_KINDS, "pairs": 0.0}


def set_value_repeats(share, kinds=REPEAT_KINDS, pairs=0.0):
    """Makes `share` of later facts' values of these kinds (of REPEAT_KINDS) hold a repeat, and
    `pairs` of those repeats two digits long where the value has room (with_repeat)."""
    unknown = set(kinds) - set(REPEAT_KINDS)
    if unknown:
        raise ValueError(f"no repeats for {sorted(unknown)}: values of {', '.join(REPEAT_KINDS)} only")
    if not 0.0 <= pairs <= 1.0:
        raise ValueError(f"the share of repeated pairs must be from 0 to 1, not {pairs}")
    _value_repeats.update(share=share, kinds=tuple(kinds), pairs=pairs)


def with_repeat(value, rng, pairs=None):
    """value with one digit made equal to the digit before it, or to the one two before (a repeated
    pair); unchanged when it has no two digits in a row.

    pairs (default: set_value_repeats' share): how often, where four digits stand in a row, two of
    them are made equal to the two before instead ("46291" -> "46262"): a value that ends as it went
    on two digits earlier, which is where a copy runs on ("462626")."""
    pairs = _value_repeats["pairs"] if pairs is None else pairs
    chars = list(value)
    spots = [i for i in range(1, len(chars)) if chars[i].isdigit() and chars[i - 1].isdigit()]
    if not spots:
        return value
    # No draw without pairs, so documents stay reproducible from the seeds of earlier runs.
    if pairs:
        quads = [i for i in range(2, len(chars) - 1) if all(c.isdigit() for c in chars[i - 2:i + 2])]
        if quads and rng.random() < pairs:
            i = rng.choice(quads)
            chars[i], chars[i + 1] = chars[i - 2], chars[i - 1]
            return "".join(chars)
    i = rng.choice(spots)
    back = 2 if i >= 2 and chars[i - 2].isdigit() and rng.random() < 0.4 else 1
    chars[i] = chars[i - back]
    return "".join(chars)


def _make(kind, rng):
    """A random fact of one kind."""
    f = _make_plain(kind, rng)
    if _value_repeats["share"] and kind in _value_repeats["kinds"] and rng.random() < _value_repeats["share"]:
        f.value = with_repeat(f.value, rng)
    return f


def _make_plain(kind, rng):
    if kind == "code":
        adj, fac = rng.choice(W.PLACE_ADJ), rng.choice(W.FACILITIES)
        return Fact(kind, (adj, fac), _code(rng), {"adj": adj, "fac": fac}, "Access code", f"{adj} {fac}")
    if kind == "role":
        role, org = _role(rng), rng.choice(W.ORGS)
        return Fact(kind, (role, org), _name(rng), {"role": role, "org": org}, "Name", f"{role}, {org}")
    if kind == "home":
        name = _name(rng)
        return Fact(kind, (name,), rng.choice(W.CITIES), {"name": name}, "Town", name)
    if kind == "stock":
        city, mat, unit = rng.choice(W.CITIES), rng.choice(W.MATERIALS), rng.choice(W.UNITS)
        return Fact(kind, (city, mat), _number(rng), {"city": city, "mat": mat, "unit": unit}, "Stock", f"{mat} ({city})")
    if kind == "date":
        event, org = rng.choice(W.EVENTS), rng.choice(W.ORGS)
        return Fact(kind, (event, org), _date(rng), {"event": event, "org": org}, "Date", f"{event}, {org}")
    if kind == "budget":
        proj = rng.choice(W.PROJECTS)
        return Fact(kind, (proj,), _number(rng), {"proj": proj}, "Budget (dollars)", f"Project {proj}")
    if kind == "password":
        name = _name(rng)
        return Fact(kind, (name,), rng.choice(W.PASSWORD_WORDS), {"name": name}, "Password", name)
    if kind == "platform":
        veh, city = rng.choice(W.VEHICLES), rng.choice(W.CITIES)
        return Fact(kind, (veh, city), str(rng.randrange(1, 40)), {"veh": veh, "city": city}, "Platform", f"{veh} to {city}")
    if kind == "badge":
        name = _name(rng)
        return Fact(kind, (name,), str(rng.randrange(10000, 999999)), {"name": name}, "Badge number", name)
    if kind == "magic":
        city = rng.choice(W.CITIES)
        return Fact(kind, (city,), str(rng.randrange(1000000, 9999999)), {"city": city}, "Magic number", city)
    raise ValueError(kind)


# Two-part keys, in key order; a near-miss distractor shares one part with the target.
KEY_SLOTS = {
    "code": ["adj", "fac"],
    "role": ["role", "org"],
    "stock": ["city", "mat"],
    "date": ["event", "org"],
    "platform": ["veh", "city"],
}


def _row_label(f):
    s = f.slots
    return {
        "code": lambda: f"{s['adj']} {s['fac']}",
        "role": lambda: f"{s['role']}, {s['org']}",
        "stock": lambda: f"{s['mat']} ({s['city']})",
        "date": lambda: f"{s['event']}, {s['org']}",
        "platform": lambda: f"{s['veh']} to {s['city']}",
    }[f.kind]()


KINDS = ["code", "role", "home", "stock", "date", "budget", "password", "platform", "badge", "magic"]

# {v} is the value; other fields come from Fact.slots. Capitalisation is fixed up by _cap.
STATEMENTS = {
    "code": [
        "The access code for the {thing} is {v}.",
        "To open the {thing}, enter the code {v}.",
        "The {thing} can be opened with the access code {v}.",
        "Staff who need the {thing} use the code {v} at the door.",
    ],
    "role": [
        "{v} is the {role} of the {org}.",
        "The {role} of the {org} is {v}.",
        "The {org} appointed {v} as its {role}.",
        "Since last year the {org} has had {v} as its {role}.",
    ],
    "home": [
        "{name} lives in {v}.",
        "{name} moved to {v} some years ago and still lives there.",
        "The home town of {name} is {v}.",
    ],
    "stock": [
        "The depot in {city} holds {v} {unit} of {mat}.",
        "There are {v} {unit} of {mat} in the depot in {city}.",
        "At the last count, the depot in {city} had {v} {unit} of {mat}.",
    ],
    "date": [
        "The {event} of the {org} took place on {v}.",
        "On {v}, the {org} held its {event}.",
        "The {org} held its {event} on {v}.",
    ],
    "budget": [
        "The budget of Project {proj} is {v} dollars.",
        "Project {proj} was given a budget of {v} dollars.",
        "A budget of {v} dollars was approved for Project {proj}.",
    ],
    "password": [
        "The password chosen by {name} is {v}.",
        "{name} chose the password {v}.",
        "For the shared terminal, {name} uses the password {v}.",
    ],
    "platform": [
        "The {veh} to {city} leaves from platform {v}.",
        "Passengers for the {veh} to {city} should go to platform {v}.",
    ],
    "badge": [
        "The badge number of {name} is {v}.",
        "{name} carries badge number {v}.",
    ],
    "magic": [
        "The special magic number for {city} is {v}.",
        "One of the special magic numbers mentioned here is for {city}: it is {v}.",
    ],
}

# "key: value" forms used in lists and PDF-like records.
RECORDS = {
    "code": "Access code for the {thing}: {v}",
    "role": "{Role} of the {org}: {v}",
    "home": "Residence of {name}: {v}",
    "stock": "Stock of {mat} at the depot in {city}: {v} {unit}",
    "date": "Date of the {event} ({org}): {v}",
    "budget": "Budget of Project {proj}: {v} dollars",
    "password": "Password of {name}: {v}",
    "platform": "Platform for the {veh} to {city}: {v}",
    "badge": "Badge number of {name}: {v}",
    "magic": "Special magic number for {city}: {v}",
}

# Stock reply forms (set_stock_reply). "town", the shipped one, restates only the town before the
# value; "keys" restates both key parts first, as role and date replies do (session 15's try).
# "row" starts the reply with the material, as a stock table row starts its line ("coal (Eldwick)
# 23 drums"), and uncapitalised (UNCAPPED), so that the reply's first token is the row's: a head
# that reads its line's first token (train.py --line-heads) then brings the same word to the
# reply's query and to the row's value, which the retrieval heads can compare (session 21's try).
STOCK_REPLIES = {
    "town": "The depot in {city} holds {v} {unit} of {mat}.",
    "keys": "The stock of {mat} at the depot in {city} is {v} {unit}.",
    "row": "{mat} at the depot in {city}: {v} {unit}.",
}
UNCAPPED = {STOCK_REPLIES["row"]}

# The model's reply: the key restated from the question, then the value copied from the document.
# Restating the key first makes the copy an induction step (the tokens just before the value in
# the reply often match those before it in the document), which small models learn quickly.
# Every reply starts with fixed words, never with a slot: the reply's first token is written with
# no space before it, so a name there ("Ezra") would be other token ids than the same name in the
# question (" Ezra"), and the first-name lookup fails (stage 6 wrote "Rosa Calloway lives in
# Varden" for Ezra Calloway in 35 of 36 probes). After "of" the name is " Ezra", as in the question.
ANSWERS = {
    "code": "The access code for the {thing} is {v}.",
    "role": "The {role} of the {org} is {v}.",
    "home": "The home town of {name} is {v}.",
    "stock": STOCK_REPLIES["town"],
    "date": "The {event} of the {org} took place on {v}.",
    "budget": "The budget of Project {proj} is {v} dollars.",
    "password": "The password chosen by {name} is {v}.",
    "platform": "The {veh} to {city} leaves from platform {v}.",
    "badge": "The badge number of {name} is {v}.",
    "magic": "The special magic number for {city} is {v}.",
}


def set_stock_reply(form):
    """Words stock replies with STOCK_REPLIES[form] from now on (train.py / kind_eval --stock-reply)."""
    if form not in STOCK_REPLIES:
        raise ValueError(f"unknown stock reply {form!r}; forms: {', '.join(STOCK_REPLIES)}")
    ANSWERS["stock"] = STOCK_REPLIES[form]


QUESTIONS = {
    "code": ["What is the access code for the {thing}?", "Which code opens the {thing}?"],
    "role": ["Who is the {role} of the {org}?", "Who serves as {role} of the {org}?"],
    "home": ["Where does {name} live?", "In which town does {name} live?"],
    "stock": [
        "How many {unit} of {mat} does the depot in {city} hold?",
        "What is the stock of {mat} at the depot in {city}?",
    ],
    "date": ["When did the {org} hold its {event}?", "On what date was the {event} of the {org}?"],
    "budget": ["What is the budget of Project {proj}?", "How large is the budget of Project {proj}?"],
    "password": ["What is the password chosen by {name}?", "Which password does {name} use?"],
    "platform": ["From which platform does the {veh} to {city} leave?", "Which platform is the {veh} to {city}?"],
    "badge": ["What is the badge number of {name}?", "Which badge number does {name} carry?"],
    "magic": ["What is the special magic number for {city}?", "What is the magic number for {city}?"],
}


def _cap(s):
    return s[:1].upper() + s[1:]


def _fmt(template, fact, cap=True):
    slots = dict(fact.slots)
    if "fac" in slots:
        slots["thing"] = f"{slots['adj']} {slots['fac']}"
    if "role" in slots:
        slots["Role"] = _cap(slots["role"])
    text = template.format(v=fact.value, **slots)
    return _cap(text) if cap else text


def statement(fact, rng):
    """One sentence stating the fact (value verbatim)."""
    return _fmt(rng.choice(STATEMENTS[fact.kind]), fact)


def value_first_statement(fact, rng):
    """A sentence whose value comes before every part of the key ("There are 16 drums of paper reams
    in the depot in Corriedale."), or None when the kind has no such wording."""
    slots = KEY_SLOTS.get(fact.kind) or [SINGLE_KEYS.get(fact.kind)]
    first = [t for t in STATEMENTS[fact.kind]
             if all(k and t.index("{v}") < t.find("{" + k + "}") for k in slots)]
    return _fmt(rng.choice(first), fact) if first else None


def leading_statement(fact):
    """A sentence that starts with the fact's value ("Yara Yardley is the director of..."), or None."""
    lead = [t for t in STATEMENTS[fact.kind] if t.startswith("{v}")]
    return _fmt(lead[0], fact) if lead else None


def record(fact):
    """The fact as a 'key: value' line."""
    return _fmt(RECORDS[fact.kind], fact)


def answer(fact):
    """The reply to a question about the fact (value verbatim, after a space)."""
    return _fmt(ANSWERS[fact.kind], fact, ANSWERS[fact.kind] not in UNCAPPED)


def question(fact, rng):
    return _fmt(rng.choice(QUESTIONS[fact.kind]), fact)


def make_fact(rng, kind=None):
    return _make(kind or rng.choice(KINDS), rng)


def _share_part(f, target, part):
    """Makes f a near miss of target: the key part `part` (a KEY_SLOTS name) becomes target's."""
    f.slots[part] = target.slots[part]
    _rekey(f)


def near_miss(target, rng, part=None):
    """A fact of target's kind that shares one key part with it (part, a KEY_SLOTS name, or one at
    random) and differs in the rest and the value (kinds in KEY_SLOTS only): "The auditor of the X
    Board" for "The treasurer of the X Board"."""
    names = KEY_SLOTS[target.kind]
    while True:
        f = _make(target.kind, rng)
        _share_part(f, target, part or rng.choice(names))
        if f.key != target.key and f.value != target.value and target.value not in f.value:
            return f


# Slots that hold the same sort of word in facts of different kinds (a town, a person, an organisation).
ENTITY_SLOTS = {
    "city": [("stock", "city"), ("platform", "city"), ("magic", "city")],
    "name": [("home", "name"), ("password", "name"), ("badge", "name")],
    "org": [("role", "org"), ("date", "org")],
}
SINGLE_KEYS = {"home": "name", "password": "name", "badge": "name", "magic": "city"}


def first_key_word(fact, question):
    """The slot value of fact's key that comes first in question (its words as written there), or
    "": for "What is the stock of coal at the depot in Eldwick?" the material, "coal". A reply
    that restates only the town needs that word at its value's query (dataset --ask-key)."""
    slots = KEY_SLOTS.get(fact.kind) or [SINGLE_KEYS.get(fact.kind)]
    found = [(question.find(fact.slots[k]), fact.slots[k]) for k in slots if k and fact.slots.get(k)]
    found = [x for x in found if x[0] >= 0]
    return min(found)[1] if found else ""


def _rekey(f):
    """key and row_label again after a slot changed (kinds with an entity slot)."""
    if f.kind in KEY_SLOTS:
        f.key, f.row_label = tuple(f.slots[k] for k in KEY_SLOTS[f.kind]), _row_label(f)
    else:
        f.key, f.row_label = (f.slots[SINGLE_KEYS[f.kind]],), f.slots[SINGLE_KEYS[f.kind]]


def other_kind_miss(target, rng):
    """A fact of another kind about the same town, person or organisation as target ("the train to
    Zennor leaves from platform 17" beside "300 cartons of candles in the depot in Zennor"), so that
    finding the key's word is not enough: the value must be the one bound to the asked kind. None
    when target's kind shares no such word with another kind."""
    for sort, places in ENTITY_SLOTS.items():
        own = [slot for kind, slot in places if kind == target.kind]
        if own:
            kind, slot = rng.choice([p for p in places if p[0] != target.kind])
            f = _make(kind, rng)
            f.slots[slot] = target.slots[own[0]]
            _rekey(f)
            return f
    return None


def distractors(target, rng, n, used_keys, used_values):
    """Facts of the same kind with other keys and values (so retrieval must match the key)."""
    out = []
    tries = 0
    while len(out) < n and tries < 50 * (n + 1):
        tries += 1
        f = _make(target.kind, rng)
        names = KEY_SLOTS.get(f.kind)
        if names and rng.random() < 0.6:
            # Near miss: share one part of the key with the target (same org, other role...).
            _share_part(f, target, rng.choice(names))
        if (f.kind, f.key) in used_keys or f.value in used_values:
            continue
        used_keys.add((f.kind, f.key))
        used_values.add(f.value)
        out.append(f)
    return out
