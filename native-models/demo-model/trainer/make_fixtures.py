"""Write tests/fixtures/tokenizer-fixtures.json from weights/tokenizer.json.

The Python encoder's ids for these texts are the fixtures that the JS tokenizer must reproduce
(tokenizer-json.test.ts) and the Python chat rendering is what the Jinja template must produce.
Usage: /usr/bin/python3 -m trainer.make_fixtures
"""

import json
import os
import random

from . import bpe, datagen
from .train_tokenizer import render_chat

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TEXTS = [
    "The access code for the north vault is 4817-KQ.",
    "Café, naïve, Zürich, Łódź, 東京, emoji 🙂, tab\tand  double  spaces.",
    "line one\n\n\nline two   \n  indented",
    "<|im_start|>user\nWhat is 12,345?<|im_end|>\n<|im_start|>assistant\n",
    "\u00a0non-breaking\u2009thin\u200bzero-width; “quotes” — dash",
    "   leading spaces and trailing   ",
    "Codes KRY708, PQ-6572 and 8191-LE; PDFs from McDonald, A WATER tower, iPhone, OK.",
]


def main():
    tok = bpe.Tokenizer.load(os.path.join(HERE, "weights", "tokenizer.json"))
    rng = random.Random(2024)
    texts = TEXTS + [datagen.render(datagen.make_document(rng, 250), rng) for _ in range(6)]
    chats = []
    for i in range(3):
        s = datagen.make_sample(rng, 120)
        chats.append({"messages": s["messages"], "add_generation_prompt": True})
    chats.append({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "The answer is 7."}],
                  "add_generation_prompt": False})
    out = {
        "encode": [{"text": t, "ids": tok.encode(t)} for t in texts],
        "chat": [dict(c, text=render_chat(c["messages"], c["add_generation_prompt"])) for c in chats],
    }
    path = os.path.join(HERE, "tests", "fixtures", "tokenizer-fixtures.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
