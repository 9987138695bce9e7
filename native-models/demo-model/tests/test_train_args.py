import subprocess
import sys
import tempfile
import unittest

import _path


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


if __name__ == "__main__":
    unittest.main()
