import unittest

import _path

if _path.HAVE_TORCH:
    import torch

    from trainer import grow
    from trainer.model import Decoder, default_config


def tiny(layers):
    torch.manual_seed(layers)
    return Decoder(default_config(vocab_size=64, layers=layers, hidden=32, heads=4, kv_heads=2, intermediate=48,
                                  head_dim=8))


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class GrowTest(unittest.TestCase):
    def test_a_grown_model_computes_what_its_base_did_until_it_trains(self):
        base, grown = tiny(2), tiny(4)
        self.assertEqual(grow.load_grown(grown, base.state_dict()), [2, 3])
        ids = torch.randint(0, 64, (2, 12))
        with torch.no_grad():
            self.assertTrue(torch.allclose(base(ids), grown(ids), atol=1e-6))
            # The new layers are not idle: their attention and MLP inputs are fresh random weights,
            # only their residual outputs start at zero.
            self.assertGreater(grown.model.layers[3].self_attn.q_proj.weight.abs().sum().item(), 0)
            grown.model.layers[3].self_attn.o_proj.weight.fill_(0.1)
            self.assertFalse(torch.allclose(base(ids), grown(ids), atol=1e-3))

    def test_only_the_listed_layers_train(self):
        base, grown = tiny(2), tiny(3)
        grow.load_grown(grown, base.state_dict())
        trainable = grow.freeze_except(grown, [2])
        before = {n: p.detach().clone() for n, p in grown.named_parameters()}
        opt = torch.optim.AdamW(trainable, lr=1e-2)
        ids = torch.randint(0, 64, (2, 12))
        for _ in range(3):
            loss = torch.nn.functional.cross_entropy(grown(ids)[:, :-1].reshape(-1, 64), ids[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        for n, p in grown.named_parameters():
            moved = not torch.equal(before[n], p.detach())
            if n.startswith("model.layers.2.") and "norm" not in n:
                self.assertTrue(moved, n)
            elif not n.startswith("model.layers.2."):
                self.assertFalse(moved, n)

    def test_planted_copy_heads_write_what_they_read_turned_and_scaled(self):
        model = tiny(2)
        at, d = model.model.layers[1].self_attn, 8
        before = at.o_proj.weight.detach().clone()
        turned = grow.plant_token_copy(model, 1, [2], gain=5.0)  # query heads 2-3 read KV group 1
        emb = model.model.embed_tokens.weight.detach()
        basis = at.v_proj.weight[d:2 * d].detach().T  # hidden x d
        self.assertTrue(torch.allclose(basis.T @ basis, torch.eye(d), atol=1e-5))
        # The kept directions are the embeddings' largest: they hold more of the centred embeddings'
        # variance than a quarter, which any 8 of the 32 directions would hold on average.
        centred = emb - emb.mean(0)
        self.assertGreater(((centred @ basis).pow(2).sum() / centred.pow(2).sum()).item(), 0.4)
        ov = at.o_proj.weight[:, 2 * d:3 * d].detach() @ at.v_proj.weight[d:2 * d].detach()
        for i in range(d):
            x = basis[:, i]
            # A kept direction comes out gain times longer, turned away from itself.
            self.assertTrue(torch.allclose(ov @ x, 5.0 * turned[:, i], atol=1e-5))
            self.assertAlmostEqual((ov @ x).norm().item(), 5.0, places=4)
        self.assertLess(abs(torch.trace(turned.T @ basis).item()) / d, 0.5)
        # The group's other head is silenced; the other group's heads are untouched.
        self.assertEqual(at.o_proj.weight[:, 3 * d:4 * d].abs().sum().item(), 0.0)
        self.assertTrue(torch.equal(at.o_proj.weight[:, :2 * d].detach(), before[:, :2 * d]))
        with self.assertRaises(SystemExit):
            grow.plant_token_copy(model, 1, [1, 2], gain=5.0)  # two KV groups

    def test_checkpoints_that_do_not_fit_are_refused(self):
        with self.assertRaises(SystemExit):
            grow.load_grown(tiny(3), tiny(3).state_dict())  # nothing to grow
        other = Decoder(default_config(vocab_size=64, layers=2, hidden=16, heads=4, kv_heads=2, intermediate=48,
                                       head_dim=4))
        with self.assertRaises(Exception):
            grow.load_grown(tiny(3), other.state_dict())  # another width
        with self.assertRaises(SystemExit):
            grow.freeze_except(tiny(2), [2])
        with self.assertRaises(SystemExit):
            grow.freeze_except(tiny(2), [])


if __name__ == "__main__":
    unittest.main()
