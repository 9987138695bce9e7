import os
import subprocess
import sys
import tempfile
import unittest

import _path

if _path.HAVE_TORCH:
    import torch
    from trainer import export, safetensors_io
    from trainer.average import interpolate, mean
    from trainer.model import Decoder, default_config, load_checkpoint


def tiny(seed):
    torch.manual_seed(seed)
    return Decoder(default_config(vocab_size=4096, layers=2, hidden=32, heads=4, kv_heads=2, intermediate=48))


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class AverageTest(unittest.TestCase):
    def test_interpolates_every_tensor_and_refuses_another_model(self):
        a, b = tiny(1).state_dict(), tiny(2).state_dict()
        mid = interpolate(a, b, 0.25)
        self.assertEqual(set(mid), set(a))
        for name in a:
            self.assertTrue(torch.allclose(mid[name], 0.75 * a[name] + 0.25 * b[name], atol=1e-6), name)
        self.assertTrue(all(torch.equal(interpolate(a, b, 0.0)[n], a[n]) for n in a))
        self.assertFalse(torch.equal(mid["model.embed_tokens.weight"], a["model.embed_tokens.weight"]))
        with self.assertRaisesRegex(ValueError, "same model"):
            interpolate(a, {k: v for k, v in b.items() if "layers.1." not in k}, 0.5)
        wide = Decoder(default_config(vocab_size=4096, layers=2, hidden=64, heads=4, kv_heads=2, intermediate=48))
        with self.assertRaisesRegex(ValueError, "shape"):
            interpolate(a, wide.state_dict(), 0.5)

    def test_command_writes_a_checkpoint_train_can_start_from_and_an_export(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for seed in (3, 4):
                m = tiny(seed)
                p = os.path.join(d, f"ck{seed}.pt")
                torch.save({"model": m.state_dict(), "config": m.config, "step": seed, "tokens": 10 * seed}, p)
                paths.append(p)
            out = os.path.join(d, "mix")
            run = subprocess.run([sys.executable, "-m", "trainer.average", *paths, "--t", "0.5", "--run", out,
                                  "--export", os.path.join(out, "weights")], cwd=_path.ROOT, capture_output=True,
                                 text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            ck = torch.load(os.path.join(out, "checkpoint.pt"))
            a, b = (torch.load(p)["model"] for p in paths)
            name = "model.layers.0.self_attn.q_proj.weight"
            self.assertTrue(torch.allclose(ck["model"][name], (a[name] + b[name]) / 2, atol=1e-6))
            self.assertEqual(ck["step"], 4)
            Decoder(ck["config"]).load_state_dict(ck["model"])  # what train.py --init-from does
            tensors, _ = safetensors_io.load(os.path.join(out, "weights", "model.safetensors"))
            self.assertTrue(torch.allclose(tensors[name].float(), ck["model"][name], atol=1e-3))
            bad = subprocess.run([sys.executable, "-m", "trainer.average", *paths, "--t", "2", "--run", out],
                                 cwd=_path.ROOT, capture_output=True, text=True)
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("--t must be in [0, 1]", bad.stderr)

    def test_mean_of_several_weighs_each_alike_and_needs_two(self):
        states = [tiny(seed).state_dict() for seed in (5, 6, 7, 8)]
        avg = mean(states)
        for name in states[0]:
            want = sum(st[name] for st in states) / len(states)
            self.assertTrue(torch.allclose(avg[name], want, atol=1e-6), name)
        # Not the last one pulled harder (what a chain of t = 0.5 halvings would give).
        name = "model.embed_tokens.weight"
        chained = interpolate(interpolate(interpolate(states[0], states[1], 0.5), states[2], 0.5), states[3], 0.5)
        self.assertFalse(torch.allclose(avg[name], chained[name], atol=1e-4))
        with self.assertRaisesRegex(ValueError, "two checkpoints"):
            mean(states[:1])

    def test_command_with_three_checkpoints_writes_their_mean_and_refuses_t(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for seed in (9, 10, 11):
                m = tiny(seed)
                p = os.path.join(d, f"ck{seed}.pt")
                torch.save({"model": m.state_dict(), "config": m.config, "step": seed, "tokens": 10 * seed}, p)
                paths.append(p)
            out = os.path.join(d, "mean")
            run = subprocess.run([sys.executable, "-m", "trainer.average", *paths, "--run", out],
                                 cwd=_path.ROOT, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("the mean of 3", run.stdout)
            ck = torch.load(os.path.join(out, "checkpoint.pt"))
            name = "model.layers.1.mlp.down_proj.weight"
            want = sum(torch.load(p)["model"][name] for p in paths) / 3
            self.assertTrue(torch.allclose(ck["model"][name], want, atol=1e-6))
            self.assertEqual((ck["step"], ck["averaged"]), (11, paths))
            bad = subprocess.run([sys.executable, "-m", "trainer.average", *paths, "--t", "0.3", "--run", out],
                                 cwd=_path.ROOT, capture_output=True, text=True)
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("leave --t out", bad.stderr)

    def test_an_exported_folder_loads_as_a_checkpoint_and_averages_with_one(self):
        with tempfile.TemporaryDirectory() as d:
            m = tiny(5)
            folder = os.path.join(d, "weights")
            export.export(m, os.path.join(_path.ROOT, "weights"), folder)
            model, ck = load_checkpoint(folder)
            self.assertEqual(ck["config"], m.config)
            self.assertEqual(ck["step"], 0)
            name = "model.layers.1.mlp.down_proj.weight"
            # fp16 on disk, fp32 back: the original within fp16 rounding, not another model's weights
            self.assertTrue(torch.allclose(ck["model"][name], m.state_dict()[name], atol=1e-3))
            self.assertFalse(torch.equal(ck["model"][name], tiny(6).state_dict()[name]))
            ids = torch.tensor([[1, 5, 9, 2]])
            with torch.no_grad():
                self.assertTrue(torch.allclose(model(ids), m.eval()(ids), atol=2e-2))
            other = os.path.join(d, "ck.pt")
            torch.save({"model": tiny(7).state_dict(), "config": m.config, "step": 9, "tokens": 90}, other)
            out = os.path.join(d, "mix")
            run = subprocess.run([sys.executable, "-m", "trainer.average", folder, other, "--t", "0.25", "--run", out],
                                 cwd=_path.ROOT, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            mixed = torch.load(os.path.join(out, "checkpoint.pt"))["model"][name]
            self.assertTrue(torch.allclose(mixed, 0.75 * ck["model"][name] + 0.25 * tiny(7).state_dict()[name],
                                           atol=1e-6))
            os.remove(os.path.join(folder, "model.safetensors"))
            with self.assertRaisesRegex(SystemExit, "model.safetensors is missing"):
                load_checkpoint(folder)


if __name__ == "__main__":
    unittest.main()
