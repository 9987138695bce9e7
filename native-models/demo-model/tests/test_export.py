import json
import math
import os
import struct
import tempfile
import unittest

import _path

if _path.HAVE_TORCH:
    import torch
    from trainer import safetensors_io
    from trainer.export import export
    from trainer.model import Decoder, default_config


def expected_names(c):
    names = ["model.embed_tokens.weight", "model.norm.weight"]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        names += [p + n for n in (
            "input_layernorm.weight", "post_attention_layernorm.weight",
            "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
            "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight")]
    return sorted(names)


def expected_shape(name, c):
    h, d, I, V = c["hidden_size"], c["head_dim"], c["intermediate_size"], c["vocab_size"]
    H, G = c["num_attention_heads"], c["num_key_value_heads"]
    table = {"embed_tokens": [V, h], "layernorm": [h], "model.norm": [h], "q_proj": [H * d, h],
             "k_proj": [G * d, h], "v_proj": [G * d, h], "o_proj": [h, H * d], "gate_proj": [I, h],
             "up_proj": [I, h], "down_proj": [h, I]}
    return next(v for k, v in table.items() if k in name)


def check_folder(test, folder):
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    path = os.path.join(folder, "model.safetensors")
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    test.assertEqual(n % 8, 0)
    header = json.loads(data[8 : 8 + n])
    names = sorted(k for k in header if k != "__metadata__")
    test.assertEqual(names, expected_names(c))
    end = 0
    for name in sorted(names, key=lambda k: header[k]["data_offsets"][0]):
        info = header[name]
        test.assertEqual(info["dtype"], "F16")
        test.assertEqual(info["shape"], expected_shape(name, c), name)
        b, e = info["data_offsets"]
        test.assertEqual(b, end)
        test.assertEqual(e - b, 2 * math.prod(info["shape"]))
        end = e
    test.assertEqual(8 + n + end, len(data))
    with open(os.path.join(folder, "generation_config.json")) as f:
        test.assertIn(c["eos_token_id"], json.load(f)["eos_token_id"])
    return c, len(data)


def naive_forward(sd, c, ids):
    """Float64 loop-by-loop forward (independent of trainer.model) for one sequence."""
    h, d, H, G = c["hidden_size"], c["head_dim"], c["num_attention_heads"], c["num_key_value_heads"]
    W = {k: v.double() for k, v in sd.items()}
    eps = c["rms_norm_eps"]

    def rms(x, w):
        return [[xi / math.sqrt(sum(v * v for v in row) / len(row) + eps) * wi for xi, wi in zip(row, w.tolist())] for row in x]

    def lin(x, w):
        return (torch.tensor(x, dtype=torch.float64) @ w.t()).tolist()

    def rope(vec, pos):
        out = list(vec)
        for i in range(d // 2):
            ang = pos * c["rope_theta"] ** (-2 * i / d)
            a, b = vec[i], vec[i + d // 2]
            out[i] = a * math.cos(ang) - b * math.sin(ang)
            out[i + d // 2] = b * math.cos(ang) + a * math.sin(ang)
        return out

    x = [W["model.embed_tokens.weight"][t].tolist() for t in ids]
    S = len(ids)
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        a = rms(x, W[p + "input_layernorm.weight"])
        q, k, v = (lin(a, W[p + f"self_attn.{n}_proj.weight"]) for n in "qkv")
        out = [[0.0] * (H * d) for _ in range(S)]
        for head in range(H):
            g = head // (H // G)
            for i in range(S):
                qi = rope(q[i][head * d : (head + 1) * d], i)
                logits = []
                for j in range(i + 1):
                    kj = rope(k[j][g * d : (g + 1) * d], j)
                    logits.append(sum(m * n for m, n in zip(qi, kj)) / math.sqrt(d))
                mx = max(logits)
                e = [math.exp(z - mx) for z in logits]
                s = sum(e)
                for j in range(i + 1):
                    for t in range(d):
                        out[i][head * d + t] += e[j] / s * v[j][g * d + t]
        o = lin(out, W[p + "self_attn.o_proj.weight"])
        x = [[a1 + b1 for a1, b1 in zip(r1, r2)] for r1, r2 in zip(x, o)]
        m = rms(x, W[p + "post_attention_layernorm.weight"])
        gt, up = lin(m, W[p + "mlp.gate_proj.weight"]), lin(m, W[p + "mlp.up_proj.weight"])
        act = [[gv / (1 + math.exp(-gv)) * uv for gv, uv in zip(r1, r2)] for r1, r2 in zip(gt, up)]
        dn = lin(act, W[p + "mlp.down_proj.weight"])
        x = [[a1 + b1 for a1, b1 in zip(r1, r2)] for r1, r2 in zip(x, dn)]
    x = rms(x, W["model.norm.weight"])
    return torch.tensor(x, dtype=torch.float64) @ W["model.embed_tokens.weight"].t()


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class ExportTest(unittest.TestCase):
    def tiny(self):
        torch.manual_seed(0)
        c = default_config(vocab_size=4096, layers=2, hidden=32, heads=4, kv_heads=2, intermediate=48, theta=100.0)
        m = Decoder(c)
        with torch.no_grad():
            for p in m.parameters():
                p.add_(torch.randn_like(p) * 0.3)  # norms away from 1, bigger logits: a sharper test
        return m

    def test_export_layout(self):
        m = self.tiny()
        with tempfile.TemporaryDirectory() as d:
            export(m, _path.WEIGHTS, d)
            c, _ = check_folder(self, d)
            self.assertEqual(c["model_type"], "llama")
            self.assertTrue(c["tie_word_embeddings"])
            tensors, _ = safetensors_io.load(os.path.join(d, "model.safetensors"))
            for name, t in tensors.items():
                ref = m.state_dict()[name].half()
                self.assertTrue(torch.equal(t, ref), name)

    def test_bf16_round_trip(self):
        t = {"a": torch.randn(3, 5).bfloat16(), "b": torch.randn(7).half(), "c": torch.randn(2, 2)}
        with tempfile.TemporaryDirectory() as d:
            safetensors_io.save(t, os.path.join(d, "x.safetensors"))
            back, header = safetensors_io.load(os.path.join(d, "x.safetensors"))
        self.assertEqual(header["a"]["dtype"], "BF16")
        for k in t:
            self.assertTrue(torch.equal(back[k], t[k]), k)

    def test_model_matches_hf_math(self):
        m = self.tiny().double()
        ids = [3, 17, 5, 60, 9, 9, 41]
        with torch.no_grad():
            got = m(torch.tensor([ids]))[0]
        ref = naive_forward(m.state_dict(), m.config, ids)
        # RoPE tables are float32 (as in HF), so agreement is ~1e-7, far below any layout bug.
        self.assertLess((got - ref).abs().max().item(), 1e-5)

    def test_bundled_weights(self):
        if not os.path.exists(os.path.join(_path.WEIGHTS, "model.safetensors")):
            self.skipTest("weights/model.safetensors not trained yet")
        c, size = check_folder(self, _path.WEIGHTS)
        self.assertLess(size, 30 * 1024 * 1024)
        self.assertGreaterEqual(c["num_hidden_layers"], 4)
        self.assertGreater(c["num_attention_heads"], c["num_key_value_heads"])


if __name__ == "__main__":
    unittest.main()
