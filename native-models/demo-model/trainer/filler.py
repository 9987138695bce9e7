"""Filler prose: templated sentences from the project's own word lists.

The sentences look grammatical and vary a lot, but carry no fact the model is asked about, so the
only way to answer a question is to find the fact sentence among them.
"""

from . import words as W


def _a(word):
    return ("an " if word[0] in "aeiou" else "a ") + word


def _sentence(rng):
    t = rng.randrange(14)
    adj, adj2 = rng.choice(W.ADJECTIVES), rng.choice(W.ADJECTIVES)
    top, top2 = rng.choice(W.TOPICS), rng.choice(W.TOPICS)
    grp, when = rng.choice(W.PEOPLE_GROUPS), rng.choice(W.TIMES)
    vp, vs = rng.choice(W.VERBS_PAST), rng.choice(W.VERBS_PRESENT)
    if t == 0:
        s = f"The {adj} {top} {vs} the {top2} {when}."
    elif t == 1:
        s = f"{grp} {vp} the {adj} {top} {when}."
    elif t == 2:
        s = f"{when}, the {top} looks {adj} and {adj2}."
    elif t == 3:
        s = f"Nobody remembers exactly when the {top} was first {vp}, but {grp} still talk about it."
    elif t == 4:
        s = f"It is said that {_a(adj)} {top} is better than {_a(adj2)} {top2}."
    elif t == 5:
        s = f"{rng.choice(W.CONNECTIVES)} {grp} prefer the {adj} {top} to the {top2}."
    elif t == 6:
        s = f"The report on the {top} was {vp} twice, first by {grp} and then by the {top2} office."
    elif t == 7:
        s = f"Along the {top}, {grp} found {_a(adj)} {top2} that nobody had {vp} before."
    elif t == 8:
        s = f"Most of the {top} is {adj}, although the part near the {top2} is rather {adj2}."
    elif t == 9:
        s = f"When the {top} is {adj}, {grp} usually wait for the {top2} to become {adj2}."
    elif t == 10:
        s = f"{rng.choice(W.CONNECTIVES)} the {top2} {vs} the {top} {when}."
    elif t == 11:
        s = f"{_a(adj)} note in the margin says that the {top} should be {vp} again soon."
    elif t == 12:
        s = f"Some say the {top} was never {adj}; others insist that {grp} {vp} it {when}."
    else:
        s = f"The {top} and the {top2} were {vp} by {grp}, who found both {adj}."
    return s[0].upper() + s[1:]


def sentence(rng):
    """One filler sentence."""
    return _sentence(rng)


def paragraph(rng, n=None):
    """A paragraph of 2-7 filler sentences."""
    n = n or rng.randrange(2, 8)
    return " ".join(_sentence(rng) for _ in range(n))


def heading(rng, number=None):
    """A section heading such as '3. Maintenance of the Harbour'."""
    word = rng.choice(W.SECTION_WORDS)
    top = rng.choice(W.TOPICS)
    text = rng.choice([word, f"{word} of the {top.capitalize()}", f"{word}: {top.capitalize()}"])
    return f"{number}. {text}" if number is not None else text


def list_item(rng):
    """A short filler line for numbered or bulleted lists."""
    adj, top = rng.choice(W.ADJECTIVES), rng.choice(W.TOPICS)
    return rng.choice(
        [
            f"Check the {adj} {top} {rng.choice(W.TIMES)}",
            f"{rng.choice(W.PEOPLE_GROUPS).capitalize()} report on the {top}",
            f"The {top} remains {adj}",
            f"Review of the {top} {rng.choice(W.VERBS_PAST)} on schedule",
        ]
    )
