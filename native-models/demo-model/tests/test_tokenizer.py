import json
import os
import random
import unittest

import _path
from trainer import bpe, datagen
from trainer.train_tokenizer import render_chat, tokenizer_config

TEXTS = [
    "The access code for the north vault is 4817-KQ.",
    "Café, naïve, Zürich, Łódź, 東京, emoji 🙂, tab\tand  double  spaces.",
    "line one\n\n\nline two   \n  indented",
    "<|im_start|>user\nWhat is 12,345?<|im_end|>\n<|im_start|>assistant\n",
    "\u00a0non-breaking\u2009thin\u200bzero-width",
    "",
]


class TokenizerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))

    def test_round_trip(self):
        rng = random.Random(1)
        texts = TEXTS + [datagen.make_sample(rng, 300)["messages"][-1]["content"] for _ in range(20)]
        for t in texts:
            self.assertEqual(self.tok.decode(self.tok.encode(t)), t)

    def test_byte_fallback(self):
        ids = self.tok.encode("東")
        self.assertEqual([self.tok.vocab[i] for i in ids], ["<0xE6>", "<0x9D>", "<0xB1>"])
        self.assertEqual(len(self.tok.vocab), 4096)
        for b in range(256):
            self.assertIn(f"<0x{b:02X}>", self.tok.ids)

    def test_specials_are_single_ids(self):
        ids = self.tok.encode("<|im_start|>user\nhi<|im_end|><|endoftext|>")
        self.assertEqual(ids[0], 1)
        self.assertEqual(ids[-2:], [2, 0])

    def test_digits_are_single_tokens(self):
        toks = [self.tok.vocab[i] for i in self.tok.encode("code 4817")]
        self.assertEqual(toks[-4:], [" 4", "8", "1", "7"])

    def test_trainer_is_deterministic_and_consistent(self):
        texts = datagen.corpus_text(5, 30, 200)
        v1, m1 = bpe.train(texts, 600)
        v2, m2 = bpe.train(texts, 600)
        self.assertEqual((v1, m1), (v2, m2))
        self.assertEqual(len(v1), 600)
        for a, b in m1:
            self.assertIn(a + b, v1)
        tok = bpe.Tokenizer(v1, m1)
        for t in texts[:5] + TEXTS:
            self.assertEqual(tok.decode(tok.encode(t)), t)

    def test_json_layout(self):
        with open(os.path.join(_path.WEIGHTS, "tokenizer.json"), encoding="utf-8") as f:
            j = json.load(f)
        self.assertEqual(j["model"]["type"], "BPE")
        self.assertTrue(j["model"]["byte_fallback"])
        self.assertEqual(sorted(j["model"]["vocab"].values()), list(range(len(j["model"]["vocab"]))))
        self.assertEqual([t["content"] for t in j["added_tokens"]], bpe.SPECIALS)

    def test_fixtures_match(self):
        # The same fixtures are checked against @huggingface/tokenizers in tokenizer-json.test.ts.
        with open(os.path.join(_path.FIXTURES, "tokenizer-fixtures.json"), encoding="utf-8") as f:
            fx = json.load(f)
        for case in fx["encode"]:
            self.assertEqual(self.tok.encode(case["text"]), case["ids"], case["text"][:60])
        for case in fx["chat"]:
            self.assertEqual(render_chat(case["messages"], case["add_generation_prompt"]), case["text"])

    def test_config(self):
        c = tokenizer_config()
        self.assertEqual(c["eos_token"], "<|im_end|>")
        self.assertIn("add_generation_prompt", c["chat_template"])


if __name__ == "__main__":
    unittest.main()
