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


if __name__ == "__main__":
    unittest.main()
