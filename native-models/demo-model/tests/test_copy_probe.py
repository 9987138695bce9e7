import re
import subprocess
import sys
import unittest

import _path
from trainer import bpe

if _path.HAVE_TORCH:
    from trainer import copy_probe


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON)
class CopyProbeTest(unittest.TestCase):
    def test_needle_goes_first_in_the_middle_after_a_sentence_or_last(self):
        hay = "One two. Three four. Five six. Seven eight. "
        self.assertTrue(copy_probe.with_needle(hay, "N.", 100, 0.0).startswith("N. One two."))
        self.assertTrue(copy_probe.with_needle(hay, "N.", 100, 1.0).endswith("Seven eight. N."))
        mid = copy_probe.with_needle(hay, "N.", 100, 0.5)
        self.assertIn("Three four. N. Five", mid)
        self.assertEqual(mid.replace("N. ", ""), hay)

    def test_old_pattern_is_the_current_one_without_its_capitals_rule(self):
        # --merged-capitals must reproduce the tokenizer before session 10 exactly.
        self.assertEqual(bpe.PATTERN, r" ?[A-Z](?![a-z])|" + copy_probe.OLD_PATTERN)
        self.assertEqual(re.findall(copy_probe.OLD_PATTERN, " 8191-LE"), [" 8", "1", "9", "1", "-", "LE"])
        self.assertEqual(bpe.pieces(" 8191-LE Ezra"), [" 8", "1", "9", "1", "-", "L", "E", " Ezra"])

    def test_a_code_that_is_not_digits_and_capitals_is_refused(self):
        run = subprocess.run([sys.executable, "-m", "trainer.copy_probe", "--codes", "LE-8191"],
                             cwd=_path.ROOT, capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertIn("is not digits-LETTERS", run.stderr)


if __name__ == "__main__":
    unittest.main()
