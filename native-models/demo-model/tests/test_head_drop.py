import unittest

import _path


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class HeadDropTest(unittest.TestCase):
    def test_gated_positions_match_a_model_without_the_head_and_the_rest_match_the_full_model(self):
        import torch

        from trainer.head_drop import HeadDrop, reply_gates
        from trainer.model import Decoder, default_config

        torch.manual_seed(0)
        cfg = default_config(4096, layers=2, hidden=64, heads=4, kv_heads=2, intermediate=96, head_dim=16)
        model, cut = Decoder(cfg).eval(), Decoder(cfg).eval()
        cut.load_state_dict(model.state_dict())
        with torch.no_grad():  # the reference: layer 1 head 2's output columns removed from o_proj
            cut.model.layers[1].self_attn.o_proj.weight[:, 2 * 16 : 3 * 16] = 0
        ids = torch.randint(5, 4096, (3, 20))
        amask = torch.zeros(3, 20, dtype=torch.bool)
        amask[:, 12:17] = True
        gate = reply_gates(amask, 0.5, torch.Generator().manual_seed(1))
        dropped = [b for b in range(3) if (gate[b] == 0).any()]
        self.assertTrue(0 < len(dropped) < 3)  # the seed picks some rows, not all
        for b in dropped:
            self.assertEqual((gate[b] == 0).nonzero().flatten().tolist(), list(range(12, 17)))
        drop = HeadDrop(model, [(1, 2)])
        with torch.no_grad():
            full = model(ids)
            drop.gate = gate
            got = model(ids)
            drop.gate = None
            again = model(ids)
            ref = cut(ids)
        self.assertTrue(torch.equal(again, full))
        for b in range(3):
            for i in range(20):
                want = ref[b, i] if gate[b, i] == 0 else full[b, i]
                self.assertTrue(torch.allclose(got[b, i], want, atol=1e-5), (b, i))
            if b in dropped:
                self.assertFalse(torch.allclose(full[b, 12], ref[b, 12], atol=1e-4))


if __name__ == "__main__":
    unittest.main()
