"""Tokenised training examples: chat prompt + answer, with per-position loss weights."""

import functools
import random

import torch

from . import datagen, recall, sample_docs
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


WINDOW = 8  # the engine's default observation window (compresskv.md)


def _find_run(ids, run):
    """Index of the last occurrence of the token run `run` in ids, or -1."""
    for i in range(len(ids) - len(run), -1, -1):
        if ids[i : i + len(run)] == run:
            return i
    return -1


# Words too common to tell a fact's key apart (" the", " of", " is"...).
_COMMON = (" the", " of", " is", " The", " a", " for", " to", " in", ".", ",", "?", ":", " What", " Who",
           " Which", " does", " did", " its", " was", " has", " number")


@functools.lru_cache(maxsize=4)
def _common_ids(tok):
    return frozenset(t for w in _COMMON for t in tok.encode(w))


def _key_ids(tok, question):
    """The question's distinctive token ids (its key words)."""
    return set(tok.encode(" " + question)) - _common_ids(tok)


def _value_first(tok, ids, at, n_val, question):
    """True when the fact's key follows its value in the document ("Yara Yardley is the director...").

    Then no single attention step from the question can find the value's first token (its key
    vector was computed before the key words were read), so that target would be unlearnable.
    Decided by which side of the value holds more of the question's distinctive tokens.
    """
    q = _key_ids(tok, question)
    before = len(q & set(ids[max(0, at - 10) : at]))
    after = len(q & set(ids[at + n_val : at + n_val + 10]))
    return after > before


def _key_end(tok, ids, at, n_val, question, reach=14):
    """Position of the last key token after a value-first fact's value (the question's distinctive
    tokens within `reach` tokens after it and before the sentence's full stop), or -1."""
    q = _key_ids(tok, question)
    stop = tok.encode(".")[0]
    hits = []
    for i in range(at + n_val, min(len(ids), at + n_val + reach)):
        if ids[i] == stop:
            break
        if ids[i] in q:
            hits.append(i)
    return hits[-1] if hits else -1


def _echo(reply, j, token):
    """Last position before j in reply whose token is token, or -1."""
    return next((p for p in range(j - 1, -1, -1) if reply[p] == token), -1)


def _starts(tok, ids):
    """Character offset where each token of ids starts in their decoded text, and the text's length."""
    out, n = [], 0
    for i in ids:
        out.append(n)
        n += len(tok.decode([i]))
    return out, n


def _locate_value(tok, ids, value):
    """Where a reply's value sits in the prompt so far: (start, n_tokens, aligned) or (-1, 0, None).

    The value is looked up as the reply writes it (" " + value); failing that, without the space
    (a value that starts the document or a line: "Y" + "ara" for the reply's " Yara"). aligned[t]
    is the prompt position a copy head should read to write the reply's value token t: the same
    token when the run has the space; without it, the document token where the reply token's text
    ends (the reply's first token " Yara" reads "ara"), or -1 where no document token ends there.
    """
    v = tok.encode(" " + value)
    at = _find_run(ids, v)
    if at >= 0:
        return at, len(v), list(range(at, at + len(v)))
    bare = tok.encode(value)
    at = _find_run(ids, bare)
    if at < 0:
        return -1, 0, None
    v_starts, v_len = _starts(tok, v)
    v_ends = v_starts[1:] + [v_len]
    b_starts, b_len = _starts(tok, bare)
    b_ends = {e: at + t for t, e in enumerate(b_starts[1:] + [b_len])}
    # The reply's text is one character (the space) ahead of the document's.
    return at, len(bare), [b_ends.get(e - 1, -1) for e in v_ends]


def _question_run(tok, ids, question):
    """(start, n) of the question's key words that lie before the observation window, or (-1, 0).

    ids is the prompt up to a reply. The window (its last WINDOW positions) is always kept by
    compression; the question's earlier words are kept only if the window's attention scores
    them, and without them a compressed reply restates another key. The run goes from the first
    to the last of the question's distinctive tokens, in the question itself (its last
    occurrence, with or without a space before it), up to the window.
    """
    at, n = -1, 0
    for run in (tok.encode(question), tok.encode(" " + question)):
        i = _find_run(ids, run)
        if i > at:
            at, n = i, len(run)
    if at < 0:
        return -1, 0
    q = _key_ids(tok, question)
    pos = [p for p in range(at, min(at + n, len(ids) - WINDOW)) if ids[p] in q]
    return (pos[0], pos[-1] - pos[0] + 1) if pos else (-1, 0)


def question_start(tok, ids, question):
    """Where the question's text starts in the prompt ids (its last occurrence), or -1.

    The app keeps the question turn whole when it compresses (keptTail); selection-aware
    eviction (select_eviction.py) keeps the positions from here on."""
    return max(_find_run(ids, tok.encode(question)), _find_run(ids, tok.encode(" " + question)))


def _question_word(tok, ids, question, word):
    """(start, n) of word's tokens inside the question's last occurrence in ids, or (-1, 0)."""
    q_at = question_start(tok, ids, question)
    if q_at < 0 or not word:
        return -1, 0
    run = tok.encode(" " + word)
    i = _find_run(ids[q_at:], run)
    return (q_at + i, len(run)) if i >= 0 else (-1, 0)


def _chat_row(tok, sample, lm_weight, value_weight, ask_reply=False, ask_key=False, read_echo=False,
              chain_after=False, value_first_direct=False):
    """(ids, weights, answer flags, value flags, sources, spans, carry, read) of one chat sample.

    Entry i concerns ids[i] except sources, carry and read, whose entry i concerns position i-1.

    Value flags mark every reply's copied value (all turns); those positions get value_weight.
    sources[i] is the position of the document token that a reply's value token ids[i] copies
    (the same token run in the prompt before that reply), -1 elsewhere: the attention target of
    a retrieval head (see train.py --attn-sup). The last WINDOW prompt positions before each
    reply point at the value's first token too, unless the value comes before its key in the
    document (_value_first): then neither they nor the value's first token get a source.

    Value-first facts get a two-step target instead (the "chain"): in the document, the key's last
    token (_key_end) reads the value's first token (carry: the token's identity is moved to where
    the key is known), and the reply's position before the value's first token, and the
    observation window, read that key end (read), where the carried token can be found by the key.
    With read_echo, the reply reads the key end from its own copy of the key end's token (the
    town in "The depot in Corriedale holds"), a match of a token against the same token, and the
    position before the value reads that copy (a second step that brings the carried value on).
    A reply without that token keeps the one-step read. With chain_after, the token after the key
    end (the sentence's "." in "... in the depot in Corriedale.") takes the key end's place: its
    previous token is the key end, as the previous token of the reply's position before the value
    is the reply's key end ("Corriedale" before "holds"), so both sides of the read can be found
    by the same previous-token feature. With value_first_direct, a value-first fact gets the plain
    copy targets as well (the value's first token and the window point at the value, as for a
    key-first fact): where a document states one fact of the kind, the copy heads can find its
    value without the chain (what stage 8, trained on these targets before the chain existed, does
    for the NIAH needles). With value_first_direct="alone", only where the document states no other
    fact of that kind (sample["alone"]): with two values of a kind before their keys, a head that
    copies by kind cannot tell which one is asked, and the plain target would teach it to split.

    ask / ask_span (last two; entry i concerns position i-1, like sources): the observation window
    of each reply looks at the question's key words before it (_question_run), so that selection
    keeps what the reply restates. With ask_reply, so do the reply's positions before its value:
    the copy's query then can hold the key part the reply does not restate (the material, for
    "The depot in Eldwick holds" before the value of "coal (Eldwick)    23 drums"). With ask_key
    as well, the reply's positions look at the question's first key word only (the sample's
    "key_word", facts.first_key_word), so that the head's output is that word and not mostly the
    question's fixed words ("stock of ... at the depot"); the window keeps the whole run.
    """
    segs = encode_sample(tok, sample)
    values = [sample["value"]] + [f["value"] for f in sample.get("followups", [])]
    questions = [sample["question"]] + [f["question"] for f in sample.get("followups", [])]
    key_words = [sample.get("key_word", "")] + [f.get("key_word", "") for f in sample.get("followups", [])]
    alone = [sample.get("alone", False)] + [f.get("alone", False) for f in sample.get("followups", [])]
    ids, wts, ans, val, src, span, carry, read, k = [], [], [], [], [], [], [], [], 0
    ask, ask_span = [], []
    for seg, is_answer in segs:
        flags, seg_src, seg_span = [False] * len(seg), [-1] * len(seg), [1] * len(seg)
        seg_read = [-1] * len(seg)
        seg_ask, seg_ask_span = [-1] * len(seg), [1] * len(seg)
        if is_answer:
            # The observation window's entries: the prompt's last WINDOW-1 ones and the reply's first.
            lo = max(0, len(ids) - WINDOW + 1)
            n_win = len(ids) - lo
            q_at, q_n = _question_run(tok, ids, questions[k])
            if q_at >= 0:
                ask[lo:], ask_span[lo:] = [q_at] * n_win, [q_n] * n_win
                seg_ask[0], seg_ask_span[0] = q_at, q_n
            v = tok.encode(" " + values[k])
            j = next(i for i in range(len(seg)) if seg[i : i + len(v)] == v)
            flags[j : j + len(v)] = [True] * len(v)
            r_at, r_n = _question_word(tok, ids, questions[k], key_words[k]) if ask_key else (q_at, q_n)
            if ask_reply and r_at >= 0:
                # Entries 1..j concern the reply's tokens 0..j-1, the last of which predicts the value.
                seg_ask[1 : j + 1], seg_ask_span[1 : j + 1] = [r_at] * j, [r_n] * j
            at, n_doc, aligned = _locate_value(tok, ids, values[k])
            value_first = at >= 0 and _value_first(tok, ids, at, n_doc, questions[k])
            if value_first:
                for t in range(1, len(v)):
                    seg_src[j + t] = aligned[t]
                end = _key_end(tok, ids, at, n_doc, questions[k])
                if end >= 0 and chain_after:
                    end = end + 1 if end + 1 < len(ids) else -1
                if end >= 0:
                    carry[end + 1] = aligned[0]
                    read[lo:] = [end] * n_win
                    seg_read[0] = seg_read[j] = end
                    echo = _echo(seg, j, ids[end]) if read_echo else -1
                    if 0 <= echo < j - 1:
                        seg_read[echo + 1], seg_read[j] = end, len(ids) + echo
            direct = value_first_direct is True or (value_first_direct == "alone" and alone[k])
            if at >= 0 and (direct or not value_first):
                seg_src[j : j + len(v)] = aligned
                # The prompt's last WINDOW positions (the observation window that SnapKV-style
                # selection scores from) look up the value while reading the question: the
                # whole value (span[i] tokens from sources[i]), so that a selection by their
                # attention keeps every token the reply will copy. sources[i] concerns position
                # i-1: the window's entries are the prompt's last WINDOW-1 ones (never sources
                # otherwise) and the reply's first.
                src[lo:], span[lo:] = [at] * n_win, [n_doc] * n_win
                seg_src[0], seg_span[0] = at, n_doc
            k += 1
        ids += seg
        wts += [(value_weight if f else 1.0) if is_answer else lm_weight for f in flags]
        ans += [is_answer] * len(seg)
        val += flags
        src += seg_src
        span += seg_span
        carry += [-1] * len(seg)
        read += seg_read
        ask += seg_ask
        ask_span += seg_ask_span
    return ids, wts, ans, val, src, span, carry, read, ask, ask_span


def make_batch(tok, rng, n, target_tokens, lm_weight, pad_id=0, max_followups=0, value_mask=False,
               value_weight=1.0, kv_frac=0.0, repeat_frac=0.0, small_vocab=0.0, sources=False, kind_weights=None,
               with_spans=False, with_chain=False, end_share=0.0, start_share=0.0, with_question=False,
               reply="sentence", table_share=0.0, cross_share=0.0, with_qstart=False, dense_share=0.0,
               report_share=0.0, ask_reply=False, ask_key=False, twin_share=0.0, value_first_share=0.0,
               read_echo=False, chain_after=False, value_first_direct=False, lone_share=0.0):
    """n examples of about target_tokens each -> (ids [n,S], targets [n,S], weights [n,S], answer_mask).

    answer_mask marks the positions that predict answer tokens (all turns); weights are 1 there
    (value_weight on the copied value tokens) and lm_weight on the other positions (document
    language modelling). With value_mask, a fifth tensor marks the positions that predict the
    first reply's value tokens (the copied span). kv_frac / repeat_frac of the rows are
    associative-recall tasks (recall.py) instead of documents: key/value lists with questions, and
    repeated random sequences with loss on the repeat (not part of answer_mask; small_vocab of
    them drawn from a few distinct ids). With sources, a last tensor [n, S] holds for each position
    i the position whose token a copy head should read to predict token i+1 (-1: none).
    kind_weights ({kind: weight}, default 1) skews which fact kind documents ask about. With
    with_spans (and sources), a last tensor gives how many tokens from that source to look at
    (the whole value for the observation window's positions, 1 elsewhere). With with_chain, two
    more tensors [n, S] give the chain targets of value-first facts (_chat_row): carry[b, i], the
    position that document position i reads, and read[b, i], the key end that position i reads
    (with read_echo, a reply's copy of the key end's token reads it and the position before the
    value reads that copy; with chain_after, the token after the key end stands for it; with
    value_first_direct, value-first facts keep the plain copy targets as well, with "alone" only
    where their kind has no other fact in the document: _chat_row).
    end_share / start_share: how often the asked fact ends / starts the document (datagen).
    With with_question, two more tensors [n, S]: ask[b, i], the first of the question's key words
    that position i (an observation-window position) should look at, and ask_span, how many
    tokens from there (_question_run); with ask_reply also each reply's positions before its value
    (_chat_row; with ask_key they look at the question's first key word instead). reply: how
    answers are worded (datagen.answer_text).
    table_share: how often the asked fact is in a table; cross_share: how often a fact of another
    kind shares its town, person or organisation, dense_share: how often a document holds as many
    facts as a sample PDF, twin_share: how often a two-part key gets a twin for each part,
    value_first_share: how often the asked kind's facts are all worded value first
    (datagen.make_document), lone_share: how often such a document states no other fact of the
    asked kind (datagen.make_document); report_share: how often a row of 1,024 tokens or
    more is a document built like the sample PDFs (sample_docs.training_sample). With with_qstart, a
    last tensor [n]: where each row's first question starts (question_start; -1 for repeat rows).
    """
    rows, qstarts = [], []
    for _ in range(n):
        # No draw when there are no recall rows, so document batches stay reproducible from a seed.
        r = rng.random() if kv_frac or repeat_frac else 1.0
        if r < repeat_frac:
            ids_, wts, src_ = recall.repeat_row(rng, target_tokens, small_vocab=small_vocab)
            none = [-1] * len(ids_)
            ones = [1] * len(ids_)
            rows.append((ids_, wts, [False] * len(ids_), [False] * len(ids_), src_, ones, none, none, none, ones))
            if with_qstart:
                qstarts.append(-1)
            continue
        if r < repeat_frac + kv_frac:
            s = recall.kv_sample(rng, max(48, target_tokens - 30 - 25 * max_followups), tok.count, 1 + max_followups, reply)
        elif report_share and target_tokens >= 1024 and rng.random() < report_share:
            s = sample_docs.training_sample(rng, tok, target_tokens - 45 - 25 * max_followups, max_followups, reply)
        else:
            # About 45 tokens go to the template, the question and the answer (+ ~25 per follow-up).
            s = datagen.make_sample(rng, max(64, target_tokens - 45 - 25 * max_followups), tok.count, max_followups,
                                    kind_weights, end_share, start_share, reply, table_share, cross_share,
                                    dense_share, twin_share, value_first_share, lone_share)
        row = _chat_row(tok, s, lm_weight, value_weight, ask_reply, ask_key, read_echo, chain_after,
                        value_first_direct)
        first_val = [False] * len(row[3])
        # The first reply's value: the first run of value flags.
        i = row[3].index(True)
        while i < len(first_val) and row[3][i]:
            first_val[i] = True
            i += 1
        rows.append((row[0], row[1], row[2], first_val) + row[4:])
        if with_qstart:
            qstarts.append(question_start(tok, row[0][: row[2].index(True)], s["question"]))
    S = max(len(r[0]) for r in rows)
    ids = torch.full((n, S), pad_id, dtype=torch.long)
    tgt = torch.full((n, S), pad_id, dtype=torch.long)
    w = torch.zeros((n, S))
    amask = torch.zeros((n, S), dtype=torch.bool)
    vmask = torch.zeros((n, S), dtype=torch.bool)
    srcs = torch.full((n, S), -1, dtype=torch.long)
    spans = torch.ones((n, S), dtype=torch.long)
    carry = torch.full((n, S), -1, dtype=torch.long)
    read = torch.full((n, S), -1, dtype=torch.long)
    ask = torch.full((n, S), -1, dtype=torch.long)
    ask_spans = torch.ones((n, S), dtype=torch.long)
    for r, (seq, wts, ans, val, src, span, car, rd, ak, aks) in enumerate(rows):
        ids[r, : len(seq)] = torch.tensor(seq)
        tgt[r, : len(seq) - 1] = torch.tensor(seq[1:])
        # Position i predicts token i+1.
        w[r, : len(seq) - 1] = torch.tensor(wts[1:])
        amask[r, : len(seq) - 1] = torch.tensor(ans[1:])
        vmask[r, : len(seq) - 1] = torch.tensor(val[1:])
        srcs[r, : len(seq) - 1] = torch.tensor(src[1:])
        spans[r, : len(seq) - 1] = torch.tensor(span[1:])
        carry[r, : len(seq) - 1] = torch.tensor(car[1:])
        read[r, : len(seq) - 1] = torch.tensor(rd[1:])
        ask[r, : len(seq) - 1] = torch.tensor(ak[1:])
        ask_spans[r, : len(seq) - 1] = torch.tensor(aks[1:])
    out = (ids, tgt, w, amask, vmask) if value_mask else (ids, tgt, w, amask)
    out = out + (srcs,) if sources else out
    out = out + (spans,) if with_spans else out
    out = out + (carry, read) if with_chain else out
    out = out + (ask, ask_spans) if with_question else out
    return out + (torch.tensor(qstarts, dtype=torch.long),) if with_qstart else out


def probe_set(tok, seed, lengths, per_length, reply="sentence"):
    """Held-out probes (a seed never used for training batches): (ids, tgt, w, amask, vmask, sources)."""
    rng = random.Random(seed)
    return {L: [make_batch(tok, rng, 1, L, 0.0, value_mask=True, sources=True, reply=reply) for _ in range(per_length)]
            for L in lengths}
