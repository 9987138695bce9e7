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
            ids, w, src = recall.repeat_row(rng, 256, small_vocab=0.5)
            self.assertEqual(len(ids), 256)
            on = [i for i, x in enumerate(w) if x == 1.0]
            b, n = on[0] - 1, len(on) + 1  # the second copy starts one before the first weighted id
            self.assertEqual(on, list(range(b + 1, b + n)))
            first = next(a for a in range(b - n + 1) if ids[a : a + n] == ids[b : b + n])
            gaps.add(b - first)
            # Every weighted id names an earlier position holding the same id, one gap back.
            self.assertEqual([ids[src[i]] for i in on], [ids[i] for i in on])
            self.assertEqual({i - src[i] for i in on}, {b - first} if on else set())
            self.assertTrue(all(s == -1 for i, s in enumerate(src) if i not in on))
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
class CopyCircuitTest(unittest.TestCase):
    def test_planted_heads_copy_a_repeated_random_span_before_any_training(self):
        import torch

        from trainer import copy_circuit
        from trainer.model import Decoder, default_config

        torch.manual_seed(0)
        model = Decoder(default_config())
        rng = random.Random(3)
        rows = [recall.repeat_row(rng, 160) for _ in range(4)]
        ids = torch.tensor([r[0] for r in rows])
        on = torch.tensor([r[1] for r in rows])[:, 1:] > 0

        def copy_accuracy():
            with torch.no_grad():
                pred = model(ids[:, :-1]).argmax(-1)
            return (pred[on] == ids[:, 1:][on]).float().mean().item()

        self.assertLess(copy_accuracy(), 0.05)  # a random start copies nothing
        self.assertLess(copy_circuit.previous_token_share(model, ids), 0.2)
        copy_circuit.plant_copy_circuit(model)
        self.assertGreater(copy_circuit.previous_token_share(model, ids), 0.9)
        self.assertLess(copy_circuit.previous_token_share(model, ids, head=4), 0.2)  # other heads untouched
        self.assertGreater(copy_accuracy(), 0.8)
        # Induction head: attention of layer 1 head 0 on the earlier copy of each repeated id.
        src = torch.tensor([r[2] for r in rows])[:, 1:]
        with torch.no_grad():
            _, probs = model(ids[:, :-1], return_probs=True)
        b, i = on.nonzero(as_tuple=True)
        self.assertGreater(probs[1][b, 0, i, src[b, i]].mean().item(), 0.8)


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class PeriodicRowTest(unittest.TestCase):
    def test_sources_name_an_earlier_equal_id_one_period_back(self):
        from trainer import copy_ab

        rng = random.Random(8)
        periods = set()
        for _ in range(30):
            ids, w, src = copy_ab.periodic_row(rng, 128)
            on = [i for i, x in enumerate(w) if x == 1.0]
            self.assertEqual(on, [i for i, s in enumerate(src) if s >= 0])
            self.assertTrue(all(ids[src[i]] == ids[i] and src[i] < i for i in on))
            periods.add(on[0] - src[on[0]])
        self.assertGreater(len(periods), 10)


if __name__ == "__main__":
    unittest.main()
