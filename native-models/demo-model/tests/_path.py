"""Put native-models/demo-model on sys.path so tests can import the trainer package."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
WEIGHTS = os.path.join(ROOT, "weights")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
    NO_TORCH_REASON = ""
except ImportError:
    HAVE_TORCH = False
    NO_TORCH_REASON = "torch is not installed (apt-get install python3-torch; run with /usr/bin/python3)"
    print(f"skipping torch tests: {NO_TORCH_REASON}", file=sys.stderr)
