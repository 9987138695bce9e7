import subprocess
import sys
import unittest

import _path  # noqa: F401

from trainer import cpu_env

ARGV = ["/usr/bin/python3", "-m", "trainer.train", "--run", "runs/x", "--threads", "2"]


class ThreadsFromArgvTest(unittest.TestCase):
    def test_both_spellings_and_absence(self):
        self.assertEqual(cpu_env.threads_from_argv(["x", "--threads", "3"]), "3")
        self.assertEqual(cpu_env.threads_from_argv(["x", "--threads=4", "--lr", "1"]), "4")
        self.assertIsNone(cpu_env.threads_from_argv(["x", "--threads"]))
        self.assertIsNone(cpu_env.threads_from_argv(["x", "--lr", "1"]))


class ReexecPlanTest(unittest.TestCase):
    def test_preloads_tcmalloc_and_passive_waits_keeping_the_command(self):
        argv, env = cpu_env.reexec_plan(ARGV, {"PATH": "/bin", "LD_PRELOAD": "/lib/other.so"}, True)
        self.assertEqual(argv, ARGV)
        self.assertEqual(env["LD_PRELOAD"], f"{cpu_env.TCMALLOC} /lib/other.so")
        self.assertEqual(env["OMP_WAIT_POLICY"], "PASSIVE")
        self.assertEqual(env["PATH"], "/bin")

    def test_an_explicit_wait_policy_is_kept(self):
        _, env = cpu_env.reexec_plan(ARGV, {"OMP_WAIT_POLICY": "ACTIVE"}, True)
        self.assertEqual(env["OMP_WAIT_POLICY"], "ACTIVE")
        self.assertEqual(env["LD_PRELOAD"], cpu_env.TCMALLOC)

    def test_no_reexec_when_loaded_missing_or_declined(self):
        self.assertIsNone(cpu_env.reexec_plan(ARGV, {"LD_PRELOAD": f"/a.so:{cpu_env.TCMALLOC}"}, True))
        self.assertIsNone(cpu_env.reexec_plan(ARGV, {}, False))
        self.assertIsNone(cpu_env.reexec_plan(ARGV, {"KVLENS_TRAIN_ALLOC": "glibc"}, True))

    @unittest.skipUnless(cpu_env.reexec_plan(ARGV, {}, cpu_env.os.path.exists(cpu_env.TCMALLOC)),
                         "libtcmalloc-minimal4 is not installed (apt-get install libtcmalloc-minimal4)")
    def test_prepare_reexecutes_once_with_the_same_arguments(self):
        code = ("import os, sys\nsys.argv[1:] = ['--threads', '3']\nfrom trainer.cpu_env import prepare\n"
                "prepare()\nprint(os.environ['LD_PRELOAD'], os.environ['OMP_NUM_THREADS'], sys.argv[1:])\n")
        out = subprocess.run([sys.executable, "-c", code, "--threads", "3"], cwd=_path.ROOT, capture_output=True,
                             text=True, env={"PATH": "/usr/bin:/bin"}, check=True).stdout
        self.assertEqual(out.strip(), f"{cpu_env.TCMALLOC} 3 ['--threads', '3']")


if __name__ == "__main__":
    unittest.main()
