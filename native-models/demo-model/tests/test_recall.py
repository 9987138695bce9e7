import os
import random
import unittest

import _path
from trainer import bpe, recall


class KvListTest(unittest.TestCase):
    def test_values_are_verbatim_and_keys_unique(self):
        rng = random.Random(3)
        count = lambda s: len(s) // 4  # noqa: E731
        for _ in range(200):
            s = recall.kv_sample(rng, rng.randrange(40, 800), count, 4)
            text = s["messages"][0]["content"]
            listing = text.rsplit("\n\n", 1)[0].split("\n")
            for turn in [s] + s["followups"]:
                self.assertTrue(turn["answer"].endswith(" " + turn["value"] + "."), turn["answer"])
                # The asked value sits in exactly one line of the list, after a separator.
                hits = [ln for ln in listing if ln.endswith(" " + turn["value"]) or ln.endswith(":" + turn["value"])]
                self.assertGreaterEqual(len(hits), 1)
            self.assertEqual(len(set(listing)), len(listing))

    def test_repeat_row_repeats_and_weights_only_the_repeat(self):
        rng = random.Random(4)
        gaps = set()
        for _ in range(50):
            ids, w = recall.repeat_row(rng, 256, small_vocab=0.5)
            self.assertEqual(len(ids), 256)
            on = [i for i, x in enumerate(w) if x == 1.0]
            b, n = on[0] - 1, len(on) + 1  # the second copy starts one before the first weighted id
            self.assertEqual(on, list(range(b + 1, b + n)))
            first = next(a for a in range(b - n + 1) if ids[a : a + n] == ids[b : b + n])
            gaps.add(b - first)
        self.assertGreater(len(gaps), 10)  # no fixed period a positional head could use


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class RecallBatchTest(unittest.TestCase):
    def test_value_weight_marks_every_copied_value(self):
        from trainer import dataset

        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        rng = random.Random(6)
        ids, tgt, w, am, vm = dataset.make_batch(tok, rng, 8, 256, 0.1, max_followups=2, value_mask=True,
                                                 value_weight=3.0, kv_frac=0.5, repeat_frac=0.25)
        for r in range(8):
            if not am[r].any():  # a repeat row: weight 1 on the second half only, nothing else
                self.assertEqual(set(w[r].unique().tolist()), {0.0, 1.0})
                continue
            heavy = w[r] == 3.0
            self.assertTrue((am[r] | ~heavy).all())  # value weight only inside replies
            self.assertTrue((heavy | ~vm[r]).all())  # the first reply's value is weighted up
            self.assertIn(tok.decode(tgt[r][vm[r]].tolist()).strip(), tok.decode(ids[r].tolist()))


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class PreviousTokenHeadTest(unittest.TestCase):
    def test_init_makes_head_zero_attend_to_the_previous_position(self):
        import torch

        from trainer import init_heads
        from trainer.model import Decoder, default_config

        torch.manual_seed(0)
        model = Decoder(default_config(4096, 4, 64, 4, 2, 128))
        ids = torch.randint(259, 4096, (1, 96))
        before = model(ids).softmax(-1)
        self.assertLess(init_heads.previous_token_share(model, ids), 0.2)
        init_heads.init_previous_token_head(model, shared_norm=0.5, sharpness=6.0)
        self.assertGreater(init_heads.previous_token_share(model, ids), 0.9)
        # Other query heads are untouched.
        self.assertLess(init_heads.previous_token_share(model, ids, head=3), 0.2)
        self.assertEqual(before.shape, model(ids).shape)


if __name__ == "__main__":
    unittest.main()
