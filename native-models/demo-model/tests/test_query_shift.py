import os
import unittest

import _path

if _path.HAVE_TORCH:
    import torch

    from trainer import bpe, query_shift
    from trainer.model import Decoder, default_config


def tiny():
    torch.manual_seed(0)
    return Decoder(default_config(vocab_size=64, layers=3, hidden=32, heads=4, kv_heads=2, intermediate=48,
                                  head_dim=8)).eval()


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class QueryShiftTest(unittest.TestCase):
    def test_queries_and_keys_give_the_model_s_own_attention(self):
        model = tiny()
        ids = torch.randint(0, 64, (14,)).tolist()
        with torch.no_grad():
            _, probs = model(torch.tensor([ids]), True)
        mask = torch.full((14, 14), float("-inf")).triu(1)
        for (q, k), p in zip(query_shift.queries_and_keys(model, ids), probs):
            mine = (q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5 + mask).softmax(-1)
            self.assertTrue(torch.allclose(mine, p[0], atol=1e-5))

    def test_only_what_the_query_position_can_see_moves_its_query(self):
        model = tiny()
        a = torch.randint(0, 64, (16,)).tolist()
        same = query_shift.head_shift(model, a, list(a), 15, 3, 5)
        self.assertEqual(same.abs().max().item(), 0.0)
        b = list(a)
        b[10] = (a[10] + 1) % 64  # a question word after the rows (3 and 5), before the query
        r = query_shift.head_shift(model, a, b, 15, 3, 5)
        self.assertEqual(tuple(r.shape), (3, 4, 2))
        # Layer 0's query is the last token's alone; from layer 1 on, attention has mixed in token 10.
        self.assertEqual(r[0].abs().max().item(), 0.0)
        self.assertGreater(r[1, :, 0].min().item(), 0.0)
        self.assertGreater(r[2, :, 1].abs().max().item(), 0.0)

    @unittest.skipUnless(os.path.exists(os.path.join(_path.WEIGHTS, "model.safetensors")), "no demo weights")
    def test_pairs_ask_the_same_document_about_a_row_and_its_same_town_twin(self):
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        pairs = query_shift.twin_pairs(tok, 6, 400, "test")
        self.assertEqual(len(pairs), 6)
        for messages_a, messages_b, answer, value_a, value_b in pairs:
            qa, qb = messages_a[-1]["content"], messages_b[-1]["content"]
            self.assertNotEqual(qa, qb)
            cut = len(os.path.commonprefix([qa, qb]))
            self.assertIn("\n", qa[:cut])  # the document (and all before it) is shared
            self.assertEqual(len(tok.encode(qa)), len(tok.encode(qb)))
            self.assertNotEqual(value_a, value_b)
            for v in (value_a, value_b):
                self.assertIn(" " + v + " ", qa)
            self.assertIn(" " + value_a, answer)


if __name__ == "__main__":
    unittest.main()
