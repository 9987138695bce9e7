import random
import unittest

import _path

if _path.HAVE_TORCH:
    import torch
    from trainer import bpe, datagen
    from trainer import facts as F
    from trainer.kind_eval import checked_reply, kind_accuracy, kind_breakdown, reply_correct, twin_class, twin_pair


class NextTokenOracle:
    """Logits that put all mass on a fixed continuation of each position, except at `wrong_at`."""

    def __init__(self, sequence, vocab=64, wrong_at=None):
        self.sequence, self.vocab, self.wrong_at = sequence, vocab, wrong_at

    def __call__(self, ids):
        seq = ids[0].tolist()
        logits = torch.zeros(1, len(seq), self.vocab)
        for i in range(len(seq)):
            nxt = self.sequence[i + 1] if i + 1 < len(self.sequence) else 0
            if i == self.wrong_at:
                nxt = (nxt + 1) % self.vocab
            logits[0, i, nxt] = 1.0
        return logits


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class KindEvalTest(unittest.TestCase):
    def test_reply_correct_needs_every_reply_token(self):
        prompt, reply = [5, 6, 7, 8], [9, 10, 11]
        seq = prompt + reply
        self.assertTrue(reply_correct(NextTokenOracle(seq), prompt, reply))
        for wrong in (3, 4, 5):  # the positions that predict reply tokens 0, 1, 2
            self.assertFalse(reply_correct(NextTokenOracle(seq, wrong_at=wrong), prompt, reply), wrong)
        # A wrong guess inside the prompt is not the reply's business.
        self.assertTrue(reply_correct(NextTokenOracle(seq, wrong_at=1), prompt, reply))

    def test_kind_accuracy_asks_about_the_kind_and_rejects_unknown_ones(self):
        tok = bpe.Tokenizer.load(f"{_path.WEIGHTS}/tokenizer.json")
        seen = []

        def model(ids):
            seen.append(tok.decode(ids[0].tolist()))
            return torch.zeros(1, ids.shape[1], 4096)  # argmax 0 (<|endoftext|>): never a reply

        self.assertEqual(kind_accuracy(model, tok, "stock", 3, 300, 1.0, 7), 0.0)
        self.assertEqual(len(seen), 3)
        # Split by twin: every sample counted once, none right, under the names twin_class gives.
        parts = kind_breakdown(model, tok, "stock", 6, 300, 1.0, 7)
        self.assertEqual(sum(m for _, m in parts.values()), 6)
        self.assertEqual(sum(r for r, _ in parts.values()), 0)
        self.assertTrue(set(parts) <= {"no twin", "shares city", "shares mat", "shares city+mat"})
        self.assertTrue(all("depot in" in s for s in seen))  # every stock question names the depot
        with self.assertRaisesRegex(ValueError, "unknown kind"):
            kind_accuracy(model, tok, "colour", 1, 300, 1.0, 7)
        # Value-first samples: the prompts state the stock facts value first, never in a table.
        seen.clear()
        kind_breakdown(model, tok, "stock", 4, 300, 1.0, 7, value_first_share=1.0)
        self.assertTrue(all("There are " in s and "\nMaterial" not in s for s in seen), seen)

    def test_twin_class_names_the_shared_key_parts(self):
        self.assertEqual(twin_class({"twins": {}}), "no twin")
        self.assertEqual(twin_class({"twins": {"city": None}}), "shares city")
        self.assertEqual(twin_class({"twins": {"city": None, "mat": None}}), "shares city+mat")

    def test_checked_reply_stops_after_the_value(self):
        tok = bpe.Tokenizer.load(f"{_path.WEIGHTS}/tokenizer.json")
        answer = "The stock of coal at the depot in Eldwick is 23 drums."
        head = checked_reply(tok, answer, "23")
        self.assertEqual(tok.decode(head), "The stock of coal at the depot in Eldwick is 23")
        self.assertEqual(tok.encode(answer)[:len(head)], head)
        self.assertEqual(checked_reply(tok, answer, "99"), tok.encode(answer))


class TeacherForced:
    """Logits that put all mass on each position's next input token: every reply right. With
    `once_per_document`, a second prompt starting like one already seen (the same document asked
    another question) gets every prediction wrong: a model that answers without the question."""

    def __init__(self, once_per_document=False, vocab=4096):
        self.once, self.vocab, self.seen, self.prompts = once_per_document, vocab, set(), []

    def __call__(self, ids):
        seq = ids[0].tolist()
        self.prompts.append(seq)
        wrong = self.once and tuple(seq[:64]) in self.seen
        self.seen.add(tuple(seq[:64]))
        logits = torch.zeros(1, len(seq), self.vocab)
        for i in range(len(seq) - 1):
            logits[0, i, (seq[i + 1] + wrong) % self.vocab] = 1.0
        return logits


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class TwinPairTest(unittest.TestCase):
    def setUp(self):
        self.tok = bpe.Tokenizer.load(f"{_path.WEIGHTS}/tokenizer.json")

    def sample_with_town_twin(self):
        rng = random.Random(11)
        weights = {k: (1.0 if k == "stock" else 0.0) for k in F.KINDS}
        while True:
            s = datagen.make_sample(rng, 400, self.tok.count, kind_weights=weights, table_share=1.0, twin_share=1.0)
            if "city" in s["twins"]:
                return s

    def test_twin_pair_asks_the_same_document_about_the_twin(self):
        s = self.sample_with_town_twin()
        twin = s["twins"]["city"]
        self.assertIn(twin.slots["city"], s["question"])  # the twin is in the asked town
        self.assertNotIn(twin.slots["mat"], s["question"])
        messages, answer, value = twin_pair(s, twin, random.Random(3))
        self.assertEqual(value, twin.value)
        self.assertNotEqual(value, s["value"])
        user, twin_user = s["messages"][-1]["content"], messages[-1]["content"]
        document = user[: len(user) - len(s["question"])]
        self.assertTrue(twin_user.startswith(document))
        twin_question = twin_user[len(document):]
        self.assertIn(twin.slots["mat"], twin_question)
        self.assertNotEqual(twin_question, s["question"])
        self.assertEqual(messages[:-1], s["messages"][:-1])
        # The replies up to the value start with the same words: only the question tells them apart.
        self.assertEqual(answer[: answer.index(value)], s["answer"][: s["answer"].index(s["value"])])
        self.assertIsNot(messages, s["messages"])
        self.assertEqual(s["messages"][-1]["content"], user)  # the sample is left as it was

    def test_a_pair_counts_only_when_both_questions_are_answered(self):
        pairs = {}
        parts = kind_breakdown(TeacherForced(), self.tok, "stock", 12, 400, 1.0, 5, pairs=pairs)
        self.assertEqual(sum(r for r, _ in parts.values()), 12)
        self.assertGreater(sum(m for _, m in pairs.values()), 0)
        self.assertTrue(all(r == m for r, m in pairs.values()), pairs)
        # Right on each document's first question, wrong when the same document is asked again:
        # the single counts stay, and no pair is right.
        blind_pairs = {}
        blind = kind_breakdown(TeacherForced(once_per_document=True), self.tok, "stock", 12, 400, 1.0, 5,
                               pairs=blind_pairs)
        self.assertEqual(blind, parts)
        self.assertEqual({p: m for p, (_, m) in blind_pairs.items()}, {p: m for p, (_, m) in pairs.items()})
        self.assertTrue(all(r == 0 for r, _ in blind_pairs.values()), blind_pairs)
        # Without a pairs dict, one forward pass per sample, as before.
        model = TeacherForced()
        kind_breakdown(model, self.tok, "stock", 12, 400, 1.0, 5)
        self.assertEqual(len(model.prompts), 12)
