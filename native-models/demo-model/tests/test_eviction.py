import os
import random
import unittest

import _path
from trainer import bpe


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class EvictionMaskTest(unittest.TestCase):
    def setUp(self):
        import torch

        from trainer import dataset

        self.torch = torch
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        self.ids, _, _, self.am, self.vm, self.src = dataset.make_batch(
            tok, random.Random(3), 4, 300, 0.1, max_followups=1, value_mask=True, sources=True)

    def masks(self, **kw):
        from trainer import eviction

        return eviction.eviction_masks(self.am, self.src, 2, 2, 8, self.torch.Generator().manual_seed(1), **kw)

    def test_sources_only_mask_hides_the_prefix_from_the_reply_but_nothing_else(self):
        from trainer import eviction

        masks = self.masks(force=True, keep=0.0)
        self.assertEqual(len(masks), 2)
        n, S = self.ids.shape
        for b in range(n):
            t0, t1 = eviction.first_reply(self.am[b])
            # t0 is the reply's first token: the position after the last prompt token.
            self.assertFalse(self.am[b][t0 - 2])
            self.assertTrue(self.am[b][t0 - 1] and self.am[b][t1])
            visible = masks[0][b, 0, 0] == 0
            # Prompt rows and everything after the first reply read the full causal prefix.
            self.assertTrue(visible[:t0].all() and visible[t1 + 1 :].all())
            # Reply rows: the window and the reply itself stay; of the prefix only the sources +-2.
            rows = visible[t0 : t1 + 1]
            self.assertTrue(rows[:, t0 - 8 :].all())
            kept = rows[0, : t0 - 8].nonzero().flatten().tolist()
            self.assertTrue((rows == rows[0]).all())
            srcs = {p for p in self.src[b, t0 - 9 : t1 + 1].tolist() if p >= 0}
            self.assertTrue(srcs)
            expect = sorted({q for p in srcs for q in range(p - 2, p + 3) if 0 <= q < t0 - 8})
            self.assertEqual(kept, expect)

    def test_keep_one_changes_nothing_and_p_row_zero_gives_no_mask(self):
        masks = self.masks(force=True, keep=1.0)
        for m in masks:
            self.assertTrue((m == 0).all())
        self.assertIsNone(self.masks(p_row=0.0))

    def test_masked_model_attends_only_to_kept_positions(self):
        from trainer import eviction
        from trainer.model import Decoder, default_config

        torch = self.torch
        torch.manual_seed(0)
        model = Decoder(default_config(4096, layers=2, hidden=64, heads=4, kv_heads=2, intermediate=96,
                                       head_dim=16)).eval()
        masks = self.masks(force=True)  # random keep share per layer and KV head
        with torch.no_grad():
            full, _ = model(self.ids, return_probs=True)
            cut, probs = model(self.ids, return_probs=True, evict=masks)
        for b in range(self.ids.shape[0]):
            t0, t1 = eviction.first_reply(self.am[b])
            # Prompt positions are untouched, reply positions read fewer tokens.
            self.assertTrue(torch.allclose(full[b, :t0], cut[b, :t0], atol=1e-5))
            self.assertFalse(torch.allclose(full[b, t0 : t1 + 1], cut[b, t0 : t1 + 1], atol=1e-3))
            for layer in range(2):
                for h in range(4):
                    hidden = masks[layer][b, h // 2, 0, t0 : t1 + 1] != 0
                    p = probs[layer][b, h, t0 : t1 + 1]
                    self.assertEqual(p[hidden].abs().max().item(), 0.0)
                    self.assertTrue(torch.allclose(p.sum(-1), torch.ones(t1 + 1 - t0), atol=1e-5))


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class AttentionLossTest(unittest.TestCase):
    def test_span_targets_average_the_log_attention_over_the_span(self):
        import math

        import torch

        from trainer.train import attention_loss

        S = 6
        probs = [torch.zeros(1, 1, S, S) for _ in range(2)]
        probs[0][0, 0] = torch.eye(S).roll(-1, 1)  # layer 0 head 0: exactly the previous token
        probs[0][0, 0, 0] = torch.eye(S)[0]
        row = torch.tensor([0.5, 0.3, 0.2, 0.0, 0.0, 0.0])
        probs[1][0, 0, 5] = row
        src = torch.full((1, S), -1)
        src[0, 5] = 0
        one = attention_loss(probs, src, [(1, 0)])
        spans = torch.ones(1, S, dtype=torch.long)
        spans[0, 5] = 3
        three = attention_loss(probs, src, [(1, 0)], spans)
        prev = -math.log(1 + 1e-6)
        self.assertAlmostEqual(one.item(), (prev - math.log(0.5 + 1e-6)) / 2, places=5)
        want = -(math.log(0.5 + 1e-6) + math.log(0.3 + 1e-6) + math.log(0.2 + 1e-6)) / 3
        self.assertAlmostEqual(three.item(), (prev + want) / 2, places=5)
        # A second offset head: layer 1 head 0 on i-2 reads each row's weight two columns back
        # (rows 2..5 -> columns 0..3: 0, 0, 0.4, 0).
        probs[1][0, 0, 4, 2] = 0.4
        two = attention_loss(probs, src, [], offset_heads=[(0, 0, 1), (1, 0, 2)])
        second = -(3 * math.log(1e-6) + math.log(0.4 + 1e-6)) / 4
        self.assertAlmostEqual(two.item(), (prev + second) / 2, places=4)


    def test_window_loss_counts_only_the_attention_inside_each_rows_window(self):
        import math

        import torch

        from trainer.train import window_loss

        S = 8
        probs = [torch.zeros(1, 2, S, S) for _ in range(2)]
        # Layer 0 head 1: each row i puts 0.6 on i-3 and 0.4 on itself.
        for i in range(S):
            probs[0][0, 1, i, i] = 0.4
            if i >= 3:
                probs[0][0, 1, i, i - 3] = 0.6
        # Window i-4..i-2 holds the 0.6 (rows 4..7); the head's own column never counts.
        self.assertAlmostEqual(window_loss(probs, [(0, 1, 2, 4)]).item(), -math.log(0.6 + 1e-6), places=5)
        # A window that misses the attended column: nothing inside, a large loss.
        self.assertGreater(window_loss(probs, [(0, 1, 4, 6)]).item(), 10)
        # Another head (all zeros) is read separately and averaged in.
        both = window_loss(probs, [(0, 1, 2, 4), (1, 0, 1, 2)])
        self.assertAlmostEqual(both.item(), (-math.log(0.6 + 1e-6) - math.log(1e-6)) / 2, places=4)
        # A window longer than the sequence contributes nothing.
        self.assertEqual(window_loss(probs, [(0, 1, 2, S)]).item(), 0.0)

    def test_line_starts_point_each_position_at_the_first_token_after_the_last_newline(self):
        import torch

        from trainer.train import line_starts

        NL, NL2 = 9, 7  # two newline token ids, as the tokenizer has ("\n" merged and the raw byte)
        ids = torch.tensor([[5, 6, NL, 1, 2, 3, NL2, NL, 4, 4],
                            [NL, 1, 1, 1, 1, 1, 1, 1, 1, 1]])
        got = line_starts(ids, [NL, NL2])
        # Row 0: line 0..2 (the newline ends its own line), 3..6, an empty line 7, then 8..9.
        self.assertEqual(got[0].tolist(), [0, 0, 0, 3, 3, 3, 3, 7, 8, 8])
        self.assertEqual(got[1].tolist(), [0] + [1] * 9)

    def test_line_loss_reads_the_line_start_column_within_reach_only(self):
        import math

        import torch

        from trainer.train import line_loss

        S = 8
        starts = torch.tensor([[0, 0, 0, 3, 3, 3, 3, 3]])
        probs = [torch.zeros(1, 2, S, S) for _ in range(2)]
        # Layer 1 head 1 puts 0.5 on the line start from every row, except row 6 (0.2) and row 7 (0.9).
        for i in range(S):
            probs[1][0, 1, i, int(starts[0, i])] = 0.5
        probs[1][0, 1, 6, 3] = 0.2
        probs[1][0, 1, 7, 3] = 0.9
        # Reach 2: rows 1, 2 (start 0) and 4, 5 (start 3); a row is never its own target.
        self.assertAlmostEqual(line_loss(probs, starts, [(1, 1, 2)]).item(), -math.log(0.5 + 1e-6), places=5)
        # Reach 4 adds rows 6 and 7.
        want = -(4 * math.log(0.5 + 1e-6) + math.log(0.2 + 1e-6) + math.log(0.9 + 1e-6)) / 6
        self.assertAlmostEqual(line_loss(probs, starts, [(1, 1, 4)]).item(), want, places=5)
        # A head that looks elsewhere (layer 0 head 0, all zeros) gets a large loss, averaged in.
        both = line_loss(probs, starts, [(1, 1, 2), (0, 0, 2)])
        self.assertAlmostEqual(both.item(), (-math.log(0.5 + 1e-6) - math.log(1e-6)) / 2, places=4)
        # No position within reach (every token starts its own line): nothing to learn.
        self.assertEqual(line_loss(probs, torch.arange(S)[None], [(1, 1, 2)]).item(), 0.0)
        # Skipped positions (there the head has another target) leave the mean: with rows 6 and 7
        # skipped, reach 4 scores rows 1, 2, 4, 5 only.
        skip = torch.zeros(1, S, dtype=torch.bool)
        skip[0, 6:] = True
        self.assertAlmostEqual(line_loss(probs, starts, [(1, 1, 4)], skip).item(), -math.log(0.5 + 1e-6), places=5)

    def test_chain_loss_reads_each_head_on_its_own_targets(self):
        import math

        import torch

        from trainer.train import chain_loss

        S = 6
        probs = [torch.full((1, 2, S, S), 0.1) for _ in range(3)]
        probs[1][0, 1, 3, 1] = 0.8  # carry head (1, 1): position 3 reads 1
        probs[2][0, 0, 5, 3] = 0.4  # read head (2, 0): position 5 reads 3
        carry, read = torch.full((1, S), -1), torch.full((1, S), -1)
        carry[0, 3], read[0, 5] = 1, 3
        both = chain_loss(probs, carry, read, [(1, 1)], [(2, 0)])
        self.assertAlmostEqual(both.item(), -(math.log(0.8 + 1e-6) + math.log(0.4 + 1e-6)) / 2, places=5)
        # Swapped heads look at the wrong rows: the loss rises.
        self.assertGreater(chain_loss(probs, carry, read, [(2, 0)], [(1, 1)]).item(), both.item() + 0.5)
        # No value-first fact in the batch: zero, and no offset-head term sneaks in.
        none = torch.full((1, S), -1)
        self.assertEqual(chain_loss(probs, none, none, [(1, 1)], [(2, 0)]).item(), 0.0)

if __name__ == "__main__":
    unittest.main()
