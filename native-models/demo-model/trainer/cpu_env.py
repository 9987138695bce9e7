"""Process settings for training on the CPU, applied before torch is imported.

- OPENBLAS_NUM_THREADS and OMP_NUM_THREADS from --threads: OpenBLAS reads them when torch loads it.
- Debian's tcmalloc (libtcmalloc-minimal4) preloaded, and OpenMP workers that sleep instead of
  spinning while they wait (OMP_WAIT_POLICY=PASSIVE). Both need to be in the environment when the
  process starts, so the entry point re-executes itself once with them. On a 2-core machine of
  this project glibc's allocator spent most of a training step in the kernel (each step frees and
  maps hundreds of MB again); README "Setup" has the measured speeds.

KVLENS_TRAIN_ALLOC=glibc keeps the process as started (no re-exec); an OMP_WAIT_POLICY already set
is kept.
"""

import os
import sys

TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def threads_from_argv(argv):
    """The value of --threads N or --threads=N, or None."""
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return None


def reexec_plan(orig_argv, environ, tcmalloc_present):
    """The (argv, env) to re-execute with, or None when the process should go on as it is."""
    if not tcmalloc_present or environ.get("KVLENS_TRAIN_ALLOC") == "glibc":
        return None
    preload = environ.get("LD_PRELOAD", "")
    if TCMALLOC in preload.replace(":", " ").split():
        return None
    env = dict(environ)
    env["LD_PRELOAD"] = f"{TCMALLOC} {preload}".strip()
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return list(orig_argv), env


def prepare(default_threads=None):
    """Set the thread counts, then re-execute under tcmalloc if it is installed and not loaded yet."""
    threads = threads_from_argv(sys.argv) or default_threads
    if threads:
        os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
        os.environ["OMP_NUM_THREADS"] = str(threads)
    plan = reexec_plan(sys.orig_argv, os.environ, os.path.exists(TCMALLOC))
    if plan:
        argv, env = plan
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)
