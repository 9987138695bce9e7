import os
import unittest

import _path


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class OvCopyTest(unittest.TestCase):
    """A model built by hand: layer 1 reads the embeddings unchanged (layer 0 writes nothing), the
    digits' embeddings are orthogonal, and its heads copy, copy the next digit, or write nothing."""

    def setUp(self):
        import torch

        from trainer import bpe
        from trainer.model import Decoder, default_config

        torch.manual_seed(0)
        self.torch = torch
        self.tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        m = Decoder(default_config(4096, layers=2, hidden=32, heads=4, kv_heads=2, intermediate=48,
                                   head_dim=16)).eval()
        from trainer.ov_copy import digit_ids

        self.digits = digit_ids(self.tok)
        eye = torch.eye(16, 32)  # picks the first 16 dimensions
        nxt = torch.zeros(32, 16)  # writes dimension k + 1 for dimension k (digits 0-9)
        for k in range(10):
            nxt[(k + 1) % 10, k] = 1.0
        with torch.no_grad():
            m.model.embed_tokens.weight[self.digits] = 0.0
            for k, i in enumerate(self.digits):
                m.model.embed_tokens.weight[i, k] = 3.0
            zero0 = m.model.layers[0]
            zero0.self_attn.o_proj.weight.zero_()
            zero0.mlp.down_proj.weight.zero_()
            at = m.model.layers[1].self_attn
            at.v_proj.weight.zero_()
            at.v_proj.weight[:16] = eye  # KV group 0 holds the embedding; group 1 nothing
            at.o_proj.weight.zero_()
            at.o_proj.weight[:, :16] = eye.T  # head 0 copies
            at.o_proj.weight[:, 16:32] = nxt  # head 1 writes the next digit
        self.model = m

    def inputs(self, n=200):
        from trainer.key_probe import residuals

        torch = self.torch
        labels = torch.randint(0, 10, (n,), generator=torch.Generator().manual_seed(1))
        ids = [self.digits[int(k)] for k in labels]
        return residuals(self.model, ids)[:-1], labels

    def test_rates_and_gaps_tell_copy_from_other_maps(self):
        from trainer.ov_copy import copy_scores

        resid_in, labels = self.inputs()
        scores = copy_scores(self.model, resid_in, self.digits, labels)
        self.assertEqual(len(scores), 2 * 4)
        rate, gap = scores[(1, 0)]
        self.assertEqual(rate, 1.0)
        self.assertGreater(gap, 1.0)
        rate, gap = scores[(1, 1)]
        self.assertEqual(rate, 0.0)
        self.assertLess(gap, 0.0)
        for head in (2, 3):
            self.assertAlmostEqual(scores[(1, head)][1], 0.0, places=5)
        for head in range(4):  # layer 0's o_proj is zero
            self.assertAlmostEqual(scores[(0, head)][1], 0.0, places=5)

    def test_value_probe_reads_the_digit_only_where_the_values_hold_it(self):
        from trainer.ov_copy import value_probes

        resid_in, labels = self.inputs(300)
        probes = value_probes(self.model, resid_in, labels)
        self.assertEqual(probes[(1, 0)], 1.0)
        self.assertLess(probes[(1, 1)], 0.3)  # zero values: one class for all, about 0.1

    def test_text_inputs_and_digit_labels_find_every_spaced_digit(self):
        from trainer.ov_copy import digit_labels, text_inputs

        text = "Room 4 holds 7 boxes, and 3 more (code 9.)"
        resid_in, ids = text_inputs(self.model, self.tok, [text, text], 100)
        n = len(self.tok.encode(text))
        self.assertEqual(tuple(resid_in.shape), (2, 2 * n, 32))
        mask, labels = digit_labels(ids, self.digits)
        self.assertEqual(labels.tolist(), [4, 7, 3, 9] * 2)
        # Layer 0 writes nothing here, so layer 1's inputs are the digits' embeddings.
        want = self.model.model.embed_tokens.weight[[self.digits[k] for k in (4, 7, 3, 9)] * 2]
        self.assertTrue(self.torch.allclose(resid_in[1][mask], want))

    def test_a_planted_head_copies_with_the_asked_gap_and_nothing_else_moves(self):
        from trainer.ov_copy import copy_scores, plant_copy

        torch = self.torch
        at = self.model.model.layers[1].self_attn
        with torch.no_grad():  # KV group 1 holds the embedding too; its heads 2-3 still write nothing
            at.v_proj.weight[16:32] = torch.eye(16, 32)
        resid_in, labels = self.inputs()
        ids = torch.tensor([self.digits[int(k)] for k in labels])
        before = copy_scores(self.model, resid_in, self.digits, labels)
        o_before = at.o_proj.weight.detach().clone()
        scales = plant_copy(self.model, [(1, 2)], resid_in, ids, self.digits, gap=5.0)
        self.assertEqual(list(scales), [(1, 2)])
        after = copy_scores(self.model, resid_in, self.digits, labels)
        self.assertEqual(after[(1, 2)][0], 1.0)
        self.assertAlmostEqual(after[(1, 2)][1], 5.0, places=3)
        for key in before:
            if key != (1, 2):
                self.assertEqual(after[key], before[key])
        changed = (at.o_proj.weight != o_before).any(0).nonzero()[:, 0].tolist()
        self.assertTrue(changed and all(32 <= c < 48 for c in changed))  # head 2's columns only

    def test_a_token_copy_plant_writes_the_read_token_at_the_asked_norm_and_only_there(self):
        from trainer.ov_copy import group_values, plant_token_copy

        torch = self.torch
        resid_in, labels = self.inputs()
        ids = torch.tensor([self.digits[int(k)] for k in labels])
        at = self.model.model.layers[0].self_attn
        o_before = at.o_proj.weight.detach().clone()
        scales = plant_token_copy(self.model, [(0, 1)], resid_in, ids, share=0.5)
        self.assertEqual(list(scales), [(0, 1)])
        values = group_values(self.model, resid_in[0], 0)[:, 0]
        written = values @ at.o_proj.weight[:, 16:32].T
        # What head 0:1 writes is the embedding of the token it reads (layer 0 reads the embeddings) ...
        emb = self.model.model.embed_tokens.weight[ids]
        cos = torch.nn.functional.cosine_similarity(written, emb, dim=1)
        self.assertGreater(cos.min().item(), 0.99)
        # ... at half the next layer's input norm (here the embeddings: layer 0 wrote nothing before).
        want = 0.5 * resid_in[1].norm(dim=1).median()
        self.assertAlmostEqual(written.norm(dim=1).median().item(), want.item(), places=4)
        changed = (at.o_proj.weight != o_before).any(0).nonzero()[:, 0].tolist()
        self.assertTrue(changed and all(16 <= c < 32 for c in changed))  # head 1's columns only
        with self.assertRaises(ValueError):  # the last layer's heads write to the unembedding only
            plant_token_copy(self.model, [(1, 0)], resid_in, ids, share=0.5)


if __name__ == "__main__":
    unittest.main()
