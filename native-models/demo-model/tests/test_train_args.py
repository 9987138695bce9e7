import os
import subprocess
import sys
import tempfile
import unittest

import _path

if _path.HAVE_TORCH:
    import torch


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class TrainArgumentsTest(unittest.TestCase):
    def train(self, *args):
        with tempfile.TemporaryDirectory() as d:
            return subprocess.run([sys.executable, "-m", "trainer.train", "--run", d, *args], cwd=_path.ROOT,
                                  capture_output=True, text=True)

    def test_question_head_options_that_would_do_nothing_are_refused(self):
        # --ask-reply only changes the targets of --question-heads, and --ask-key only those of
        # --ask-reply: alone, each would train exactly as without it, so train.py says so and stops.
        run = self.train("--ask-reply")
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("--ask-reply teaches the heads of --question-heads", run.stderr)
        run = self.train("--ask-reply", "--question-heads", "1:6")  # --attn-sup defaults to 0
        self.assertIn("--ask-reply teaches the heads of --question-heads", run.stderr)
        run = self.train("--ask-key", "--question-heads", "1:6", "--attn-sup", "0.3")
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("--ask-key changes what --ask-reply targets", run.stderr)

    @unittest.skipUnless(os.path.exists(os.path.join(_path.WEIGHTS, "tokenizer.json")), "no demo tokenizer")
    def test_without_export_the_run_folder_gets_the_weights(self):
        # Run from another folder, so that a default of ./weights (the app's shipped model when run
        # from demo-model/) would show up there instead of overwriting anything.
        with tempfile.TemporaryDirectory() as cwd, tempfile.TemporaryDirectory() as d:
            env = {**os.environ, "PYTHONPATH": _path.ROOT}
            run = subprocess.run([sys.executable, "-m", "trainer.train", "--run", d, "--tokenizer", _path.WEIGHTS,
                                  "--steps", "1", "--step-tokens", "256", "--micro-tokens", "256",
                                  "--length-mix", "256:1", "--probe-lengths", "256", "--probes", "1"],
                                 cwd=cwd, env=env, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            self.assertTrue(os.path.exists(os.path.join(d, "weights", "model.safetensors")))
            self.assertEqual(os.listdir(cwd), [])

    @unittest.skipUnless(os.path.exists(os.path.join(_path.WEIGHTS, "model.safetensors")), "no demo weights")
    def test_a_grown_run_trains_only_its_new_layer(self):
        # One step of --layers 5 --train-layers 4 from the shipped weights: the export has five
        # layers, the first four exactly the shipped ones (frozen), the fifth trained.
        from trainer.model import load_exported

        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "w")
            run = subprocess.run([sys.executable, "-m", "trainer.train", "--run", d, "--export", out, "--steps", "2",
                                  "--step-tokens", "256", "--micro-tokens", "256", "--length-mix", "256:1",
                                  "--probe-lengths", "256", "--probes", "1", "--lr", "1e-2", "--warmup", "1",
                                  "--init-from", _path.WEIGHTS, "--layers", "5", "--train-layers", "4"],
                                 cwd=_path.ROOT, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            self.assertIn("new layers [4] start with zero output", run.stdout)
            base, _ = load_exported(_path.WEIGHTS)
            grown, ck = load_exported(out)
            self.assertEqual(ck["config"]["num_hidden_layers"], 5)
            b, g = base.state_dict(), grown.state_dict()
            for name, tensor in b.items():
                self.assertTrue(torch.equal(tensor, g[name]), name)
            self.assertGreater(g["model.layers.4.self_attn.o_proj.weight"].abs().sum().item(), 0)
            run = self.train("--init-from", _path.WEIGHTS, "--layers", "5", "--train-layers", "5")
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("--train-layers [5]: the model has layers 0-4", run.stderr + run.stdout)


if __name__ == "__main__":
    unittest.main()
