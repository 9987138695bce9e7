import os
import random
import unittest

import _path
from trainer import bpe


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class ErrorAwareBudgetsTest(unittest.TestCase):
    def test_budgets_match_the_apps_allocation(self):
        from trainer.select_eviction import error_aware_budgets

        # Expected values printed by the app's own allocation (`npm run cli -- budgets
        # --layer-scores F --budget B`), an independent TypeScript implementation of compresskv.md.
        shipped = [0.24723487804419386, 0.09289335034622939, 0.27848011000202416, 0.38139166160755256]
        cases = [
            (shipped, 64, [64, 43, 68, 81]),
            (shipped, 256, [254, 114, 282, 374]),
            (shipped, 512, [507, 210, 567, 764]),
            ([0.97, 0.01, 0.01, 0.01], 100, [296, 34, 35, 35]),  # over: ties give back in layer order
            ([0.97, 0.01, 0.01, 0.01], 256, [768, 86, 85, 85]),  # capped at 3B, the rest round-robin
            ([0.4, 0.1, 0.1, 0.4], 256, [390, 122, 122, 390]),
            ([0.05, 0.05, 0.45, 0.45], 100, [46, 46, 154, 154]),
            ([0.25] * 4, 32, [32, 32, 32, 32]),
        ]
        for scores, budget, expect in cases:
            got = error_aware_budgets(scores, budget)
            self.assertEqual(got, expect, (scores, budget))
            self.assertEqual(sum(got), budget * len(scores))


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class WindowSelectionTest(unittest.TestCase):
    def test_window_scores_follow_the_spec_step_by_step(self):
        import math

        import torch

        from trainer.select_eviction import window_scores

        g = torch.Generator().manual_seed(0)
        H, S, T, W = 2, 20, 16, 8
        logits = torch.randn(H, S, S, generator=g).masked_fill(torch.ones(S, S).triu(1).bool(), float("-inf"))
        got = window_scores(logits, T, W, 5)
        self.assertEqual(tuple(got.shape), (H, T - W))
        for h in range(H):
            s = [0.0] * (T - W)
            for i in range(T - W, T):
                row = [math.exp(float(x)) if j <= i else 0.0 for j, x in enumerate(logits[h, i, :T])]
                z = sum(row)
                for j in range(T - W):
                    s[j] += row[j] / z
            for j in range(T - W):
                pooled = sum(s[k] for k in range(j - 2, j + 3) if 0 <= k < T - W) / 5
                self.assertAlmostEqual(float(got[h, j]), pooled, places=5)

    def test_kept_prefix_keeps_the_top_scores_before_the_tail_and_the_tail(self):
        import torch

        from trainer.select_eviction import kept_prefix

        T, tail = 12, 4
        score = torch.tensor([0.1, 0.9, 0.2, 0.8, 0.3, 0.0, 0.05, 0.7, 5.0, 5.0])  # T - 2 window scores
        keep = kept_prefix(score, T, tail, 7)
        # Positions 8 and 9 score highest but lie in the tail, kept anyway; 3 from 0..7.
        self.assertEqual(keep.nonzero().flatten().tolist(), [1, 3, 7, 8, 9, 10, 11])
        self.assertTrue(kept_prefix(score, T, tail, 12).all())
        self.assertEqual(kept_prefix(score, T, tail, 3).nonzero().flatten().tolist(), [9, 10, 11])


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class LayerSelectionInTheModelTest(unittest.TestCase):
    def setUp(self):
        import torch

        from trainer import dataset
        from trainer.model import Decoder, default_config

        torch.manual_seed(0)
        self.torch = torch
        self.tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        out = dataset.make_batch(self.tok, random.Random(5), 3, 400, 0.1, max_followups=1, with_qstart=True)
        self.ids, self.am, self.qstart = out[0], out[3], out[-1]
        self.model = Decoder(default_config(4096, layers=2, hidden=64, heads=4, kv_heads=2, intermediate=128,
                                            head_dim=16)).eval()

    def test_question_start_points_at_the_question_text(self):
        for b in range(self.ids.shape[0]):
            q = int(self.qstart[b])
            self.assertGreater(q, 0)
            t0 = self.am[b].nonzero().flatten()[0].item() + 1
            tail_text = self.tok.decode(self.ids[b, q:t0].tolist())
            self.assertTrue(tail_text.rstrip().endswith("assistant"), tail_text)
            self.assertIn("?", tail_text)

    def rows_and_plans(self, kind, budget):
        from trainer import select_eviction

        rows = select_eviction.pick_rows(self.am, self.qstart, 1.0, self.torch.Generator().manual_seed(1))
        self.assertEqual(len(rows), self.ids.shape[0])
        plan = {"kind": kind, "budget": budget, "heads": [3, 1]}
        return rows, [select_eviction.LayerSelection([r + (plan,) for r in rows], 2) for _ in range(2)]

    def test_reply_reads_only_what_the_selection_keeps(self):
        torch = self.torch
        from trainer.select_eviction import kept_prefix, window_scores

        for kind in ("shared", "per-kv-head"):
            rows, sel = self.rows_and_plans(kind, 40)
            _, probs = self.model(self.ids, True, sel)
            _, full = self.model(self.ids, True, None)
            # Layer 0 sees the same input either way, so its selection can be recomputed from the
            # full pass's attention (log-probabilities differ from the logits by a row constant,
            # which leaves each row's softmax unchanged).
            logits0 = full[0].clamp_min(1e-30).log()
            for b, t0, t1, tail in rows:
                pooled = window_scores(logits0[b], t0)
                if kind == "shared":
                    keeps = [kept_prefix(pooled[[3, 1]].mean(0), t0, tail, 40)] * 2
                else:
                    keeps = [kept_prefix(pooled[g * 2 : g * 2 + 2].mean(0), t0, tail, 40) for g in range(2)]
                for h in range(4):
                    keep = keeps[h // 2]
                    self.assertEqual(int(keep.sum()), 40)
                    reply = probs[0][b, h, t0 : t1 + 1, :t0]
                    self.assertTrue((reply[:, ~keep] == 0).all())
                    self.assertTrue((reply[:, keep] > 0).all())
                    # The prompt's own rows (and the last one, which predicts the reply's first
                    # token) read the full cache.
                    self.assertTrue(torch.allclose(probs[0][b, h, :t0], full[0][b, h, :t0], atol=1e-6))
                if kind == "per-kv-head":
                    self.assertFalse(torch.equal(keeps[0], keeps[1]))

    def test_a_budget_larger_than_the_prompt_changes_nothing(self):
        torch = self.torch

        _, sel = self.rows_and_plans("shared", 10_000)
        self.assertTrue(torch.allclose(self.model(self.ids, False, sel), self.model(self.ids), atol=1e-5))


if __name__ == "__main__":
    unittest.main()
