import unittest

import _path


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class WindowScoreTest(unittest.TestCase):
    def test_scores_sum_the_windows_rows_and_pool_with_zero_padding(self):
        import torch

        from trainer.window_check import pooled_window_scores

        T, W = 10, 3
        probs = torch.zeros(1, T, T)
        probs[0, 7, 2] = 0.5  # window rows are 7, 8, 9
        probs[0, 9, 2] = 0.25
        probs[0, 8, 0] = 1.0
        probs[0, 6, 5] = 1.0  # not a window row: ignored
        s = pooled_window_scores(probs, T, W)
        self.assertEqual(s.shape, (1, T - W))
        # Column j gets (raw[j-2] + ... + raw[j+2]) / 5 with raw = [1, 0, 0.75, 0, 0, 0, 0].
        want = [(1 + 0.75) / 5, (1 + 0.75) / 5, (1 + 0.75) / 5, 0.75 / 5, 0.75 / 5, 0.0, 0.0]
        for got, exp in zip(s[0].tolist(), want):
            self.assertAlmostEqual(got, exp, places=6)

    def test_compresskv_column_uses_the_calibrations_heads_and_layer_budgets(self):
        import os

        import torch

        from trainer import bpe
        from trainer.model import Decoder, default_config
        from trainer.window_check import check

        torch.manual_seed(0)
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        model = Decoder(default_config(4096, layers=2, hidden=64, heads=4, kv_heads=2, intermediate=128,
                                       head_dim=16)).eval()
        _, _, best4, _ = check(model, tok, 400, 4, 40)
        # With uniform layer scores every layer's budget is the uniform one, so CompressKV with the
        # best-4 heads as its ranking keeps exactly what the best-4 column keeps.
        ranked = [heads for heads, _ in best4]
        _, _, best4_again, compress = check(model, tok, 400, 4, 40, calibration=(ranked, [0.5, 0.5]))
        self.assertEqual([b for b, _ in compress], [40, 40])
        self.assertEqual([share for _, share in compress], [share for _, share in best4_again])
        self.assertTrue(any(share < 1 for _, share in compress))
        # All the layer scores on layer 0: layer 1 falls to the minimum of 32 and keeps less.
        _, _, _, skewed = check(model, tok, 400, 4, 40, calibration=(ranked, [1.0, 0.0]))
        self.assertEqual([b for b, _ in skewed], [48, 32])
        self.assertLessEqual(skewed[1][1], compress[1][1])
        self.assertGreaterEqual(skewed[0][1], compress[0][1])


if __name__ == "__main__":
    unittest.main()
