import unittest

import _path


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class HeadEffectsTest(unittest.TestCase):
    def setUp(self):
        import torch

        from trainer.model import Decoder, default_config

        torch.manual_seed(0)
        self.torch = torch
        self.model = Decoder(default_config(4096, layers=3, hidden=64, heads=4, kv_heads=2, intermediate=96,
                                            head_dim=16)).eval()
        with torch.no_grad():  # larger weights than the initialisation's, so that every part matters
            for p in self.model.parameters():
                if p.dim() == 2:
                    p.mul_(4)
        self.ids = torch.randint(5, 4096, (30,)).tolist()

    def test_parts_sum_to_the_models_logit_difference(self):
        from trainer.head_effects import direct_effects, last_position_parts

        torch = self.torch
        parts, attn, last = last_position_parts(self.model, self.ids)
        self.assertEqual(len(parts), 1 + 3 * 4 + 3)
        with torch.no_grad():
            logits = self.model(torch.tensor([self.ids]))[0, -1]
        for a, b in ((7, 9), (100, 4000)):
            effects, total = direct_effects(self.model, parts, last, a, b)
            want = float(logits[a] - logits[b])
            self.assertAlmostEqual(total, want, places=3)
            self.assertAlmostEqual(sum(effects.values()), want, places=3)
            self.assertGreater(max(abs(v) for v in effects.values()), 0.05)
        # Attention rows of the last position: one per layer, each a distribution over the prompt.
        self.assertEqual(sorted(attn), [0, 1, 2])
        self.assertTrue(torch.allclose(attn[2].sum(-1), torch.ones(4), atol=1e-5))

    def test_scaling_a_last_layer_head_to_zero_matches_a_model_without_it(self):
        from trainer.head_effects import scaled_top
        from trainer.model import Decoder

        torch = self.torch
        with torch.no_grad():
            full = self.model(torch.tensor([self.ids]))[0, -1].softmax(-1)
        top = scaled_top(self.model, self.ids, {(2, 1): 0.0}, k=3)
        cut = Decoder(self.model.config).eval()
        cut.load_state_dict(self.model.state_dict())
        with torch.no_grad():  # the reference: head 2:1's columns of o_proj removed (layer 2 is the last)
            cut.model.layers[2].self_attn.o_proj.weight[:, 16:32] = 0
            want = cut(torch.tensor([self.ids]))[0, -1].softmax(-1).topk(3)
            again = self.model(torch.tensor([self.ids]))[0, -1].softmax(-1)
        self.assertEqual([i for i, _ in top], want.indices.tolist())
        for (_, p), q in zip(top, want.values.tolist()):
            self.assertAlmostEqual(p, q, places=5)
        self.assertGreater(float((full - cut(torch.tensor([self.ids]))[0, -1].softmax(-1)).abs().max()), 1e-4)
        # The hooks are gone afterwards: the model gives its own probabilities again.
        self.assertTrue(torch.equal(full, again))


if __name__ == "__main__":
    unittest.main()
