import unittest

import _path

if _path.HAVE_TORCH:
    import torch
    from trainer import bpe
    from trainer.kind_eval import checked_reply, kind_accuracy, kind_breakdown, reply_correct, twin_class


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
        self.assertEqual(twin_class({"shared": []}), "no twin")
        self.assertEqual(twin_class({"shared": ["city"]}), "shares city")
        self.assertEqual(twin_class({"shared": ["city", "mat"]}), "shares city+mat")

    def test_checked_reply_stops_after_the_value(self):
        tok = bpe.Tokenizer.load(f"{_path.WEIGHTS}/tokenizer.json")
        answer = "The stock of coal at the depot in Eldwick is 23 drums."
        head = checked_reply(tok, answer, "23")
        self.assertEqual(tok.decode(head), "The stock of coal at the depot in Eldwick is 23")
        self.assertEqual(tok.encode(answer)[:len(head)], head)
        self.assertEqual(checked_reply(tok, answer, "99"), tok.encode(answer))
