import random
import unittest

import _path

if _path.HAVE_TORCH:
    import torch
    from trainer import datagen, key_probe
    from trainer import facts as F


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class KeyProbeTest(unittest.TestCase):
    def test_the_probe_finds_a_material_where_it_is_planted_and_not_where_it_is_absent(self):
        # Depth 1's query holds its material's direction plus noise, depth 0's is noise only; the rows
        # the other way round. The probe must score ~1 where the material is and near the floor elsewhere.
        torch.manual_seed(1)
        names, d = [f"m{i}" for i in range(6)], 64
        dirs = torch.randn(len(names), d)
        records = []
        for _ in range(240):
            mats = random.Random(len(records)).sample(names, 3)
            asked = mats[0]
            query = torch.stack([torch.randn(d), dirs[names.index(asked)] * 2 + torch.randn(d)])
            rows = torch.stack([torch.stack([dirs[names.index(m)] * 2 + torch.randn(d) for m in mats]),
                                torch.randn(3, d)])
            records.append({"query": query, "rows": rows, "asked": asked, "materials": mats})
        (d0, q0, f0, r0, g0), (d1, q1, f1, r1, g1) = key_probe.report(records)
        self.assertEqual((d0, d1), (0, 1))
        self.assertGreater(q1, 0.9)
        self.assertLess(q0, f0 + 0.2)
        self.assertGreater(r0, 0.9)
        self.assertLess(r1, g1 + 0.2)

    def test_stock_row_pattern_reads_every_table_row_datagen_renders(self):
        rng = random.Random(5)
        weights = {k: (1.0 if k == "stock" else 0.0) for k in F.KINDS}
        found = 0
        for _ in range(20):
            doc = datagen.make_document(rng, 400, kind_weights=weights, table_share=1.0)
            text = datagen.render(doc, rng)
            rows = {r[2]: r[0] for r in key_probe.STOCK_ROW.findall(text)}
            for f in doc["facts"]:
                if f.kind == "stock" and f"{f.slots['mat']} ({f.slots['city']})" in text:
                    self.assertEqual(rows.get(f.value), f.slots["mat"], text)
                    found += 1
        self.assertGreater(found, 20)


if __name__ == "__main__":
    unittest.main()
