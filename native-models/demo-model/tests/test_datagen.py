import os
import random
import unittest

import _path
from trainer import bpe, datagen, facts


class DatagenTest(unittest.TestCase):
    def test_answer_is_verbatim_in_document(self):
        rng = random.Random(7)
        for i in range(300):
            s = datagen.make_sample(rng, [128, 400, 1500][i % 3])
            self.assertIn(s["value"], s["document"], s["question"])
            self.assertIn(" " + s["value"], s["answer"])
            self.assertTrue(s["messages"][-1]["content"].endswith(s["question"]))
            self.assertIn(s["document"], s["messages"][-1]["content"])

    def test_deterministic_with_seed(self):
        a = [datagen.make_sample(random.Random(42), 600) for _ in range(3)]
        b = [datagen.make_sample(random.Random(42), 600) for _ in range(3)]
        c = datagen.make_sample(random.Random(43), 600)
        self.assertEqual(a, b)
        self.assertNotEqual(a[0]["document"], c["document"])

    def test_distractors_differ_in_key_and_value(self):
        rng = random.Random(3)
        for _ in range(200):
            doc = datagen.make_document(rng, 800)
            keys = [(f.kind, f.key) for f in doc["facts"]]
            values = [f.value for f in doc["facts"]]
            self.assertEqual(len(keys), len(set(keys)))
            self.assertEqual(len(values), len(set(values)))
            self.assertIs(doc["facts"][0], doc["target"])

    def test_every_kind_and_template_states_the_value(self):
        rng = random.Random(5)
        for kind in facts.KINDS:
            f = facts.make_fact(rng, kind)
            for t in facts.STATEMENTS[kind]:
                self.assertIn(f.value, facts._fmt(t, f))
            self.assertIn(f.value, facts.record(f))

    def test_twin_facts_name_what_a_stated_twin_has_in_common_with_the_asked_fact(self):
        rng = random.Random(8)
        target = facts.make_fact(rng, "stock")

        def twin(**slots):
            f = facts.make_fact(rng, "stock")
            while f.value == target.value or any(f.slots[k] == target.slots[k] for k in ("city", "mat")):
                f = facts.make_fact(rng, "stock")
            f.slots.update(slots)
            return f

        same_town = twin(city=target.slots["city"])
        same_material = twin(mat=target.slots["mat"])
        stranger = twin()
        home = facts.make_fact(rng, "home")
        text = " ".join(f.value for f in (target, same_town, stranger, home))
        doc = {"target": target, "facts": [target, same_town, same_material, stranger, home]}
        # The material twin's value is not in the text: it does not count.
        self.assertEqual(list(datagen.twin_facts(doc, text)), ["city"])
        self.assertEqual(list(datagen.twin_facts(doc, text + " " + same_material.value)), ["city", "mat"])
        self.assertEqual(list(datagen.twin_facts({"target": target, "facts": [target, stranger]}, text)), [])
        # A one-part key has no near-miss twin.
        self.assertEqual(list(datagen.twin_facts({"target": home, "facts": [home, target]}, text)), [])
        # Samples carry it for their asked fact.
        seen = set()
        for i in range(12):
            s = datagen.make_sample(random.Random(i), 400, kind_weights={"stock": 1e6}, table_share=1.0)
            self.assertEqual(s["kind"], "stock")
            self.assertTrue(set(s["twins"]) <= {"city", "mat"})
            seen.update(s["twins"])
        self.assertEqual(seen, {"city", "mat"})

    def test_twin_share_gives_the_asked_fact_a_twin_for_each_key_part(self):
        def shares(twin_share, kind):
            out = []
            for i in range(40):
                s = datagen.make_sample(random.Random(i), 500, kind_weights={kind: 1e6}, twin_share=twin_share)
                self.assertEqual(s["kind"], kind)
                out.append(sorted(s["twins"]))
            return out

        for kind in ("stock", "role"):
            both = sorted(facts.KEY_SLOTS[kind])
            # (A value that a wrapped line splits is not found in the text, so a few fall short.)
            self.assertGreaterEqual(sum(s == both for s in shares(1.0, kind)), 36, kind)
            # Without it, most documents lack a twin for one part or both.
            self.assertGreater(sum(s != both for s in shares(0.0, kind)), 20, kind)
        # A one-part key has no twin to add, and the option draws nothing there.
        a = datagen.make_sample(random.Random(3), 500, kind_weights={"home": 1e6}, twin_share=1.0)
        b = datagen.make_sample(random.Random(3), 500, kind_weights={"home": 1e6})
        self.assertEqual(a, b)

    def test_stock_reply_forms_restate_the_town_or_both_key_parts_before_the_value(self):
        self.addCleanup(facts.set_stock_reply, "town")
        f = facts.make_fact(random.Random(4), "stock")
        city, mat, v = f.slots["city"], f.slots["mat"], f.value
        town = datagen.answer_text(f)
        self.assertTrue(town.startswith(f"The depot in {city} holds {v}"), town)
        facts.set_stock_reply("keys")
        keys = datagen.answer_text(f)
        self.assertEqual(keys, f"The stock of {mat} at the depot in {city} is {v} {f.slots['unit']}.")
        with self.assertRaisesRegex(ValueError, "unknown stock reply"):
            facts.set_stock_reply("material")
        facts.set_stock_reply("town")
        self.assertEqual(datagen.answer_text(f), town)

    def test_value_first_facts_word_every_fact_of_the_asked_kind_value_first(self):
        for kind, lead in (("stock", "There are {v} "), ("role", "{v} is the ")):
            for seed in range(12):
                doc = datagen.make_document(random.Random(seed), 600, kind_weights={kind: 1e6}, table_share=1.0,
                                            value_first_share=1.0)
                text = " ".join(datagen.render(doc, random.Random(seed)).split())  # wrapped lines joined
                same = [f for f in doc["facts"] if f.kind == kind]
                self.assertFalse(any(b["type"] == "table" for b in doc["blocks"]), seed)
                for f in same:
                    self.assertIn(lead.format(v=f.value), text, (kind, seed))
        # Without the option the same seeds draw the same documents as before it existed (tables here).
        a = datagen.make_document(random.Random(5), 600, kind_weights={"stock": 1e6}, table_share=1.0)
        b = datagen.make_document(random.Random(5), 600, kind_weights={"stock": 1e6}, table_share=1.0,
                                  value_first_share=0.0)
        self.assertEqual(a, b)
        self.assertTrue(any(x["type"] == "table" for x in a["blocks"]))
        # A kind with no value-first wording keeps its usual sentences.
        self.assertIsNone(facts.value_first_statement(facts.make_fact(random.Random(2), "home"), random.Random(2)))

    def test_row_reply_starts_with_the_table_rows_first_token(self):
        self.addCleanup(facts.set_stock_reply, "town")
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        facts.set_stock_reply("row")
        for seed in range(20):
            f = facts.make_fact(random.Random(seed), "stock")
            reply = datagen.answer_text(f)
            # Not capitalised: "coal at the depot in Eldwick: 23 drums." starts as "coal (Eldwick)" does.
            self.assertTrue(reply.startswith(f"{f.slots['mat']} at the depot in {f.slots['city']}: {f.value} "), reply)
            row = tok.encode("Material\n" + f.row_label)
            self.assertEqual(tok.encode(reply)[0], row[row.index(tok.encode("\n")[0]) + 1], reply)
        # Other kinds keep their capital.
        self.assertTrue(datagen.answer_text(facts.make_fact(random.Random(1), "role")).startswith("The "))

    def test_lengths_follow_the_target(self):
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        rng = random.Random(11)
        for target in (128, 1024, 4096):
            n = [tok.count(datagen.make_sample(rng, target, tok.count)["document"]) for _ in range(5)]
            self.assertTrue(all(target * 0.6 <= x <= target * 1.25 + 80 for x in n), (target, n))

    def test_value_tokens_in_document_equal_answer_tokens(self):
        # Copying must be token-exact: the answer's value tokens occur as a run in the document.
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        rng = random.Random(13)
        for _ in range(150):
            s = datagen.make_sample(rng, 500, tok.count)
            doc_ids = tok.encode(s["document"])
            val = tok.encode(" " + s["value"])
            ans = tok.encode(s["answer"])
            self.assertTrue(any(ans[i : i + len(val)] == val for i in range(len(ans))), s["answer"])
            runs = [i for i in range(len(doc_ids) - len(val) + 1) if doc_ids[i : i + len(val)] == val]
            self.assertTrue(runs, s["value"])


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class CopySourcesTest(unittest.TestCase):
    def setUp(self):
        self.tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))

    def test_sources_point_at_the_documents_copy_of_each_value_token(self):
        from trainer import dataset

        tok = self.tok
        rows = 24
        ids, tgt, w, am, vm, src, span = dataset.make_batch(tok, random.Random(11), rows, 400, 0.1, max_followups=2,
                                                            value_mask=True, sources=True, kv_frac=0.3,
                                                            with_spans=True)
        end = tok.special_ids["<|im_end|>"]
        seen_value_first = 0
        for r in range(rows):
            on = (src[r] >= 0).nonzero().flatten().tolist()
            self.assertTrue(on)
            for i in on:
                self.assertLess(src[r][i].item(), i)  # always an earlier position
            vals = vm[r].nonzero().flatten().tolist()
            first = vals[0]
            last_prompt = max(i for i in range(first) if not am[r][i]) + 1
            window = src[r][last_prompt - 7 : last_prompt + 1].tolist()
            # Every value token after the first is predicted from a position whose source holds it.
            for i in vals[1:]:
                self.assertEqual(ids[r][src[r][i]].item(), tgt[r][i].item())
            if src[r][first] < 0:
                # Value before its key: neither the first value token nor the window get a target.
                seen_value_first += 1
                self.assertEqual(set(window), {-1})
                continue
            self.assertEqual(ids[r][src[r][first]].item(), tgt[r][first].item())
            # The observation window (the last 8 prompt positions, ending at "assistant\n") looks at
            # the whole value: its first token's position and as many tokens as the value has.
            self.assertEqual(set(window), {src[r][first].item()})
            n_val = len(vals)
            self.assertEqual(set(span[r][last_prompt - 7 : last_prompt + 1].tolist()), {n_val})
            self.assertEqual(span[r][vals[1:]].tolist(), [1] * (n_val - 1))
            self.assertNotIn(end, ids[r][src[r][on]].tolist())
        self.assertGreater(seen_value_first, 0)  # the seed covers both cases
        self.assertLess(seen_value_first, rows)

    def test_chain_targets_of_value_first_facts(self):
        # carry: the key's last document token reads the value's first token; read: the window and
        # the reply position before the value read that key end. Key-first facts get neither.
        from trainer import dataset

        tok = self.tok
        rows = 40
        ids, tgt, w, am, vm, src, span, carry, read = dataset.make_batch(
            tok, random.Random(3), rows, 400, 0.1, value_mask=True, sources=True, with_spans=True, with_chain=True,
            kind_weights={"role": 3, "date": 3})
        chained = 0
        for r in range(rows):
            vals = vm[r].nonzero().flatten().tolist()
            first = vals[0]
            last_prompt = max(i for i in range(first) if not am[r][i]) + 1
            if src[r][first] >= 0:  # key first: the plain copy targets, no chain for the first reply
                self.assertEqual(set(read[r][last_prompt - 7 : first + 1].tolist()), {-1})
                continue
            chained += 1
            end = read[r][first].item()
            self.assertEqual(set(read[r][last_prompt - 7 : last_prompt + 1].tolist()), {end})
            ends = (carry[r] >= 0).nonzero().flatten().tolist()
            self.assertIn(end, ends)
            at = carry[r][end].item()
            # The carried token is the value's first token, stated before the key end in the document.
            self.assertEqual(ids[r][at].item(), tgt[r][first].item())
            self.assertLess(at, end)
            self.assertLess(end - at, 20)
            # The key end is one of the question's words (the question is in the prompt).
            question = tok.decode(ids[r][last_prompt - 40 : last_prompt].tolist())
            self.assertIn(tok.decode([ids[r][end].item()]).strip(), question)
        self.assertGreater(chained, 2)
        self.assertLess(chained, rows)

    def _chain_batch_pair(self, **option):
        """The same 40 role and date rows, with their chain targets, made without and with `option`
        (a make_batch keyword); checks that the documents are the same."""
        import torch

        from trainer import dataset

        kw = dict(value_mask=True, sources=True, with_spans=True, with_chain=True, kind_weights={"role": 3, "date": 3})
        plain = dataset.make_batch(self.tok, random.Random(3), 40, 400, 0.1, **kw)
        changed = dataset.make_batch(self.tok, random.Random(3), 40, 400, 0.1, **option, **kw)
        self.assertTrue(torch.equal(changed[0], plain[0]))
        return plain, changed

    def test_echo_read_goes_through_the_replys_copy_of_the_key_end(self):
        # With read_echo the documents are the same; a reply that restates the key end's token
        # reads the key end from there, and its position before the value reads that copy.
        import torch

        (_, _, _, _, _, _, _, carry0, read0), (ids, _, _, am, vm, _, _, carry, read) = self._chain_batch_pair(
            read_echo=True)
        self.assertTrue(torch.equal(carry, carry0))
        echoed = 0
        for r in range(len(read)):
            first = vm[r].nonzero().flatten().tolist()[0]
            end = read0[r][first].item()
            if end < 0:
                self.assertTrue(torch.equal(read[r], read0[r]))
                continue
            reply_start = max(i for i in range(first) if not am[r][i]) + 1
            copies = [p for p in range(reply_start, first) if ids[r][p] == ids[r][end]]
            if not copies:
                self.assertTrue(torch.equal(read[r], read0[r]))
                continue
            echoed += 1
            echo = copies[-1]
            self.assertEqual(read[r][echo].item(), end)
            self.assertEqual(read[r][first].item(), echo)
            changed = (read[r] != read0[r]).nonzero().flatten().tolist()
            self.assertEqual(changed, [echo, first])
        self.assertGreater(echoed, 2)

    def test_chain_after_moves_the_chain_to_the_token_after_the_key_end(self):
        # The same documents; every chain target (carry's reader, read's target) moves one token
        # on, to the token whose previous token is the key end.
        import torch

        (_, _, _, _, _, _, _, carry0, read0), (_, _, _, _, _, _, _, carry, read) = self._chain_batch_pair(
            chain_after=True)
        moved = 0
        for r in range(len(read)):
            readers0 = (carry0[r] >= 0).nonzero().flatten().tolist()
            readers = (carry[r] >= 0).nonzero().flatten().tolist()
            self.assertEqual(readers, [p + 1 for p in readers0])
            self.assertEqual(carry[r][readers].tolist(), carry0[r][readers0].tolist())
            self.assertTrue(torch.equal(read[r] >= 0, read0[r] >= 0))
            on = read0[r] >= 0
            self.assertTrue(torch.equal(read[r][on], read0[r][on] + 1))
            moved += bool(readers)
        self.assertGreater(moved, 2)

    def test_value_first_direct_adds_the_plain_copy_targets_to_the_chain(self):
        # The same documents and chain targets; a value-first fact's first value token and the
        # observation window now point at the value in the document, as a key-first fact's do.
        import torch

        (_, _, _, _, _, src0, _, carry0, read0), (ids, tgt, _, am, vm, src, span, carry, read) = (
            self._chain_batch_pair(value_first_direct=True))
        self.assertTrue(torch.equal(carry, carry0))
        self.assertTrue(torch.equal(read, read0))
        direct = 0
        for r in range(len(read)):
            first = vm[r].nonzero().flatten().tolist()[0]
            if src0[r][first] >= 0:  # key first: the first reply keeps its targets
                self.assertEqual(src[r][: first + 1].tolist(), src0[r][: first + 1].tolist())
                continue
            direct += 1
            at = src[r][first].item()
            self.assertGreaterEqual(at, 0)
            self.assertEqual(ids[r][at].item(), tgt[r][first].item())  # the value's first token
            if read[r][first] >= 0:
                self.assertLess(at, read[r][first].item())  # stated before its key end
            last_prompt = max(i for i in range(first) if not am[r][i]) + 1
            self.assertEqual(set(src[r][last_prompt - 7 : last_prompt + 1].tolist()), {at})
            n_val = len(vm[r].nonzero())  # the first reply's value, as long as its copy in the document
            self.assertEqual(set(span[r][last_prompt - 7 : last_prompt + 1].tolist()), {n_val})
        self.assertGreater(direct, 2)

    def test_value_first_direct_alone_keeps_the_copy_targets_where_the_kind_has_one_fact(self):
        # A value-first fact's reply gets the plain copy target with "alone" only when the document
        # states no other fact of its kind; otherwise it keeps the chain alone, as without the option.
        from trainer import datagen, dataset

        rng = random.Random(7)
        seen = {True: 0, False: 0}
        for _ in range(400):
            s = datagen.make_sample(rng, 300, self.tok.count, 0, {"role": 1, "stock": 1}, twin_share=0.5,
                                    value_first_share=1.0)
            rows = {mode: dataset._chat_row(self.tok, s, 0.1, 1.0, value_first_direct=mode)
                    for mode in (False, True, "alone")}
            src_off, src_all, src_alone = (rows[m][4] for m in (False, True, "alone"))
            if src_off == src_all:  # key first, or the value not found: nothing to choose
                continue
            seen[s["alone"]] += 1
            self.assertEqual(src_alone, src_all if s["alone"] else src_off)
            self.assertEqual(rows["alone"][6:8], rows[True][6:8])  # the chain is the same
            if seen[True] >= 3 and seen[False] >= 3:
                break
        self.assertGreaterEqual(seen[True], 3)
        self.assertGreaterEqual(seen[False], 3)

    def test_alone_is_false_where_the_asked_fact_has_a_twin(self):
        from trainer import datagen

        rng = random.Random(5)
        alone = []
        for _ in range(80):
            s = datagen.make_sample(rng, 300, self.tok.count, 2, {"stock": 1, "role": 1}, twin_share=0.5)
            if s["twins"]:
                self.assertFalse(s["alone"])
            alone.append(s["alone"])
            alone += [f["alone"] for f in s["followups"]]
        self.assertIn(True, alone)
        self.assertIn(False, alone)

    def test_lone_value_first_documents_state_no_other_fact_of_the_kind(self):
        from trainer import datagen

        def alone_counts(lone):
            rng = random.Random(11)
            out = []
            for _ in range(60):
                s = datagen.make_sample(rng, 500, self.tok.count, 0, {"stock": 1, "role": 1}, twin_share=0.8,
                                        value_first_share=1.0, lone_share=lone)
                self.assertIn(s["value"], s["document"])
                out.append(s["alone"])
            return out

        self.assertTrue(all(alone_counts(1.0)))
        self.assertGreater(alone_counts(0.0).count(False), 30)

    def test_window_looks_at_the_questions_key_words_before_it(self):
        # The observation window (last 8 prompt positions and the reply's first) looks at the run from
        # the question's first to its last distinctive word before the window; nothing else does.
        from trainer import dataset

        tok = self.tok
        rows = 24
        ids, tgt, w, am, vm, src, span, carry, read, ask, ask_span = dataset.make_batch(
            tok, random.Random(8), rows, 400, 0.1, value_mask=True, sources=True, with_spans=True, with_chain=True,
            with_question=True, max_followups=1)
        seen = 0
        for r in range(rows):
            first = vm[r].nonzero().flatten().tolist()[0]
            last_prompt = max(i for i in range(first) if not am[r][i]) + 1  # the reply's first position
            on = set((ask[r] >= 0).nonzero().flatten().tolist())
            window = set(range(last_prompt - 7, last_prompt + 1))
            if not on & window:
                continue
            seen += 1
            self.assertTrue(window <= on)
            at, n = ask[r][last_prompt].item(), ask_span[r][last_prompt].item()
            self.assertLess(at + n - 1, last_prompt - 7)  # all before the window
            words = tok.decode(ids[r][at : at + n].tolist())
            question = tok.decode(ids[r][last_prompt - 40 : last_prompt + 1].tolist())
            self.assertIn(words.strip(), question)
            # Both ends are distinctive words, not " the" or " of".
            common = dataset._common_ids(tok)
            self.assertNotIn(ids[r][at].item(), common)
            self.assertNotIn(ids[r][at + n - 1].item(), common)
            # Only observation-window positions (of this or a follow-up reply) get the target.
            starts = [i for i in range(1, len(am[r])) if am[r][i] and not am[r][i - 1]]
            self.assertTrue(all(any(s - 7 <= i <= s for s in starts) for i in on), (sorted(on), starts))
        self.assertGreater(seen, rows // 2)

    def test_ask_reply_extends_the_window_target_to_the_reply_up_to_its_value(self):
        # With ask_reply, every reply position from its first token to the one that predicts the value's
        # first token looks at the same question words as the window; the value and what follows do not.
        import torch
        from trainer import dataset

        tok, rows = self.tok, 24
        kw = dict(value_mask=True, sources=True, with_spans=True, with_chain=True, with_question=True,
                  max_followups=1)
        plain = dataset.make_batch(tok, random.Random(8), rows, 400, 0.1, **kw)
        ids, tgt, w, am, vm, src, span, carry, read, ask, ask_span = dataset.make_batch(
            tok, random.Random(8), rows, 400, 0.1, ask_reply=True, **kw)
        self.assertTrue(torch.equal(ids, plain[0]))  # the same documents: only the targets differ
        seen = 0
        for r in range(rows):
            first = vm[r].nonzero().flatten().tolist()[0]  # predicts the first reply's first value token
            last_prompt = max(i for i in range(first) if not am[r][i]) + 1
            window = ask[r][last_prompt].item()
            if window < 0:
                continue
            seen += 1
            n = ask_span[r][last_prompt].item()
            for i in range(last_prompt, first + 1):
                self.assertEqual((ask[r][i].item(), ask_span[r][i].item()), (window, n))
            for i in range(first + 1, first + 3):  # the value's own tokens have no question target
                self.assertEqual(ask[r][i].item(), -1)
            # Without ask_reply the reply's tokens (from its second position on) have none either.
            self.assertTrue((plain[9][r][last_prompt + 1 : first + 1] == -1).all())
            self.assertEqual(plain[9][r][last_prompt].item(), window)
        self.assertGreater(seen, rows // 2)

    def test_ask_key_points_the_reply_at_the_question_s_first_key_word(self):
        # With ask_key, the reply's positions up to the value look at the asked fact's first key word
        # inside the question ("coal" in "What is the stock of coal at the depot in Eldwick?"); the
        # window keeps the whole run of key words.
        from trainer import dataset
        from trainer import facts as F

        fact = F.make_fact(random.Random(3), "stock")
        q = f"What is the stock of {fact.slots['mat']} at the depot in {fact.slots['city']}?"
        self.assertEqual(F.first_key_word(fact, q), fact.slots["mat"])
        q = f"Which depot in {fact.slots['city']} holds {fact.slots['mat']}?"
        self.assertEqual(F.first_key_word(fact, q), fact.slots["city"])

        tok, rows = self.tok, 24
        kw = dict(value_mask=True, sources=True, with_spans=True, with_chain=True, with_question=True,
                  max_followups=1, kind_weights={"stock": 3.0, "role": 1.0})
        run = dataset.make_batch(tok, random.Random(9), rows, 400, 0.1, ask_reply=True, **kw)
        ids, tgt, w, am, vm, src, span, carry, read, ask, ask_span = dataset.make_batch(
            tok, random.Random(9), rows, 400, 0.1, ask_reply=True, ask_key=True, **kw)
        seen = narrower = 0
        for r in range(rows):
            first = vm[r].nonzero().flatten().tolist()[0]
            last_prompt = max(i for i in range(first) if not am[r][i]) + 1
            if run[9][r][last_prompt].item() < 0:
                continue
            at, n = ask[r][first].item(), ask_span[r][first].item()
            if at < 0:
                continue
            seen += 1
            self.assertEqual(ask[r][last_prompt].item(), run[9][r][last_prompt].item())  # the window: unchanged
            for i in range(last_prompt + 1, first + 1):
                self.assertEqual((ask[r][i].item(), ask_span[r][i].item()), (at, n))
            word = tok.decode(ids[r][at : at + n].tolist())
            # a key word of the question: from its run of key words on, before the reply
            q_at, q_n = run[9][r][last_prompt].item(), run[10][r][last_prompt].item()
            self.assertTrue(q_at <= at < last_prompt, word)
            self.assertTrue(word.startswith(" ") and word.strip(), word)
            narrower += n < q_n
        self.assertGreater(seen, rows // 2)
        self.assertGreater(narrower, seen // 2)  # mostly one word where the run is several

    def test_end_share_puts_the_asked_fact_last(self):
        from trainer import facts as F

        def ends_with_target(doc):
            last = doc["blocks"][-1]
            said = [F._fmt(t, doc["target"]) for t in F.STATEMENTS[doc["target"].kind]]
            return last["type"] == "para" and last["sentences"][-1] in said

        n = 40
        moved = sum(ends_with_target(datagen.make_document(random.Random(i), 400, end_share=1.0)) for i in range(n))
        plain = sum(ends_with_target(datagen.make_document(random.Random(i), 400)) for i in range(n))
        # All but the documents whose facts went into a table end with the asked fact; by default few do.
        self.assertGreater(moved, n * 0.8)
        self.assertLess(plain, n * 0.3)

    def test_key_end_stays_inside_the_facts_sentence(self):
        from trainer import dataset

        tok = self.tok
        q = "Who is the director of the Windward Lighthouse?"
        ids = tok.encode("Filler here. Yara Yardley is the director of the Windward Lighthouse. " + q)
        v = tok.encode(" Yara Yardley")
        at = dataset._find_run(ids, v)
        end = dataset._key_end(tok, ids, at, len(v), q, reach=40)
        self.assertEqual(tok.decode(ids[end : end + 2]), " Lighthouse.")
        self.assertLess(end, len(tok.encode("Filler here. Yara Yardley is the director of the Windward Lighthouse")))

    def test_start_share_puts_the_asked_fact_first(self):
        from trainer import facts as F

        def starts_with_target(doc):
            first = doc["blocks"][0]
            said = [F._fmt(t, doc["target"]) for t in F.STATEMENTS[doc["target"].kind]]
            return first["type"] == "para" and first["sentences"][0] in said

        n = 40
        moved = [datagen.make_document(random.Random(i), 400, start_share=1.0) for i in range(n)]
        plain = sum(starts_with_target(datagen.make_document(random.Random(i), 400)) for i in range(n))
        self.assertGreater(sum(map(starts_with_target, moved)), n * 0.8)  # all but table-held facts
        self.assertEqual(plain, 0)  # by default a fact never starts a paragraph
        # Kinds with a value-first wording mostly use it there: the rendered text starts with the value.
        roles = [datagen.make_document(random.Random(i), 400, kind_weights={"role": 1e6}, start_share=1.0)
                 for i in range(n)]
        lead = sum(datagen.render(d, random.Random(0)).startswith(d["target"].value) for d in roles)
        self.assertGreater(lead, n * 0.5)

    def test_tables_include_cells_joined_by_one_space_like_extracted_pdf_text(self):
        table = {"type": "table", "header": ["Position", "Name"], "rows": [["auditor, Ashford Water Board", "Ulla Quist"]]}
        seps = {datagen.render_block(table, "report", w).split("\n")[1][len("auditor, Ashford Water Board") :]
                .replace("Ulla Quist", "") for w in (60, 61, 62)}
        self.assertEqual(seps, {" | ", "    ", " "})

    def test_table_share_puts_the_asked_fact_in_a_table_in_any_style(self):
        n = 60
        kinds = {"role": 1e6, "stock": 1e6, "code": 1e6}
        docs = [datagen.make_document(random.Random(i), 400, kind_weights=kinds, table_share=1.0) for i in range(n)]
        seps, styles = [], set()
        for d in docs:
            tables = [b for b in d["blocks"] if b["type"] == "table"]
            self.assertEqual(len(tables), 1)
            self.assertIn([d["target"].row_label, d["target"].cell], tables[0]["rows"])
            # Rendered with its own separator whatever the width: "label value" on one line.
            line = tables[0]["sep"].join([d["target"].row_label, d["target"].cell])
            self.assertIn(line, datagen.render(d, random.Random(1)).split("\n"))
            seps.append(tables[0]["sep"])
            styles.add(d["style"])
        self.assertEqual(styles, {"prose", "report", "wrapped"})
        self.assertGreater(seps.count(" "), n * 0.45)
        self.assertEqual(set(seps), {" ", " | ", "    "})
        # Without it, only report-style documents hold tables, and none has a fixed separator.
        plain = [datagen.make_document(random.Random(i), 400, kind_weights=kinds) for i in range(n)]
        held = [d for d in plain if any(b["type"] == "table" for b in d["blocks"])]
        self.assertTrue(all(d["style"] == "report" for d in held))
        self.assertLess(len(held), n * 0.3)
        self.assertFalse(any("sep" in b for d in plain for b in d["blocks"]))

    def test_a_table_cell_holds_all_that_the_reply_restates_besides_the_key(self):
        # A stock reply names the unit ("46 sacks of candles"); a row with "46" alone made the model guess it.
        kinds = {"stock": 1e6, "code": 1e6}
        for i in range(40):
            d = datagen.make_document(random.Random(i), 400, kind_weights=kinds, table_share=1.0)
            f = d["target"]
            table = next(b for b in d["blocks"] if b["type"] == "table")
            cell = dict(map(tuple, table["rows"]))[f.row_label]
            reply = datagen.answer_text(f)
            self.assertIn(f.value, cell)
            for word in cell.split():
                self.assertIn(word, reply)
            if f.kind == "stock":
                self.assertEqual(cell, f"{f.value} {f.slots['unit']}")
            else:
                self.assertEqual(cell, f.value)

    def test_value_repeat_pairs_end_a_value_as_it_went_on_two_digits_before(self):
        # Four digits in a row: the last two of some four become the two before them (ABAB).
        made = {facts.with_repeat("46291", random.Random(seed), pairs=1.0) for seed in range(30)}
        self.assertEqual(made, {"46461", "46262"})
        # Without four digits in a row there is no room for a pair: a single repeat as before.
        self.assertEqual({facts.with_repeat("40LE39", random.Random(s), pairs=1.0) for s in range(30)},
                         {"44LE39", "40LE33"})
        # Pairs at 0 draw nothing more: the same values as before the option existed.
        self.assertEqual([facts.with_repeat("4629", random.Random(s), pairs=0.0) for s in range(20)],
                         [facts.with_repeat("4629", random.Random(s)) for s in range(20)])
        mixed = [facts.with_repeat("83517", random.Random(s), pairs=0.5) for s in range(200)]
        abab = sum(any(v[i] == v[i - 2] and v[i + 1] == v[i - 1] for i in range(2, 4)) for v in mixed)
        self.assertTrue(60 < abab < 140, abab)
        try:
            facts.set_value_repeats(1.0, ["badge"], pairs=1.0)
            badges = [facts.make_fact(random.Random(i), "badge").value for i in range(50)]
        finally:
            facts.set_value_repeats(0.0)
        long = [v for v in badges if len(v) >= 4]
        self.assertTrue(long)
        self.assertTrue(all(any(v[i] == v[i - 2] and v[i + 1] == v[i - 1] for i in range(2, len(v) - 1))
                            for v in long))
        with self.assertRaisesRegex(ValueError, "pairs"):
            facts.set_value_repeats(0.5, ["badge"], pairs=1.5)

    def test_value_repeats_put_a_repeated_digit_or_pair_into_that_share_of_values(self):
        def has_repeat(v):
            d = [c for c in v]
            return any(d[i].isdigit() and d[i] == d[i - 1] for i in range(1, len(d))) or any(
                d[i].isdigit() and d[i - 1].isdigit() and d[i] == d[i - 2] for i in range(2, len(d)))

        self.assertEqual(facts.with_repeat("AB-CD", random.Random(1)), "AB-CD")  # no two digits in a row
        made = {facts.with_repeat("40LE39", random.Random(seed)) for seed in range(30)}
        self.assertEqual(made, {"44LE39", "40LE33"})
        self.assertIn(facts.with_repeat("4629", random.Random(3)), {"4429", "4669", "4626", "4622", "4649"})
        n, kind = 400, "badge"
        plain = [facts.make_fact(random.Random(i), kind).value for i in range(n)]
        try:
            facts.set_value_repeats(1.0)
            forced = [facts.make_fact(random.Random(i), kind).value for i in range(n)]
            dates = [facts.make_fact(random.Random(i), "date").value for i in range(50)]
        finally:
            facts.set_value_repeats(0.0)
        try:
            facts.set_value_repeats(1.0, ["stock"])
            codes = [facts.make_fact(random.Random(i), "code").value for i in range(50)]
        finally:
            facts.set_value_repeats(0.0)
        self.assertEqual(codes, [facts.make_fact(random.Random(i), "code").value for i in range(50)])
        with self.assertRaisesRegex(ValueError, "date"):
            facts.set_value_repeats(0.5, ["stock", "date"])
        self.assertTrue(all(map(has_repeat, forced)))
        self.assertLess(sum(map(has_repeat, plain)), n * 0.7)
        # Only the digits change (same length, same kind of characters), and dates are left alone.
        self.assertTrue(all(len(a) == len(b) for a, b in zip(plain, forced)))
        self.assertEqual(dates, [facts.make_fact(random.Random(i), "date").value for i in range(50)])
        # With the share at 0 nothing is drawn: documents stay what earlier seeds made.
        self.assertEqual(plain, [facts.make_fact(random.Random(i), kind).value for i in range(n)])

    def test_cross_share_adds_another_kinds_fact_about_the_same_town_person_or_org(self):
        words = {"stock": "city", "platform": "city", "magic": "city", "home": "name", "password": "name",
                 "badge": "name", "role": "org", "date": "org"}
        n, seen, got, could = 200, set(), 0, 0
        for i in range(n):
            d = datagen.make_document(random.Random(i), 500, cross_share=1.0)
            t = d["target"]
            others = [f for f in d["facts"][1:] if f.kind != t.kind and f.kind in words and t.kind in words
                      and f.slots[words[f.kind]] == t.slots[words[t.kind]]]
            if t.kind in words:
                could += 1
                got += bool(others)
                for f in others:
                    seen.add((t.kind, f.kind))
                    # Its key was remade with the shared word, and it is stated in the document.
                    self.assertIn(t.slots[words[t.kind]], f.key if f.kind != "role" else f.key[1])
                    text = datagen.render(d, random.Random(1))
                    self.assertIn(f.value, text)
            else:  # code, budget: nothing to share
                self.assertFalse(others)
        self.assertGreater(got, could * 0.8)  # the rest: its value clashed with one already there
        self.assertGreater(len(seen), 10)
        # Without it, documents stay what earlier seeds made.
        for i in range(20):
            a = datagen.make_document(random.Random(i), 500)
            b = datagen.make_document(random.Random(i), 500, cross_share=0.0)
            self.assertEqual(a["blocks"], b["blocks"])

    def test_dense_share_fills_the_document_with_as_many_facts_as_a_sample_pdf(self):
        sparse = [len(datagen.make_document(random.Random(i), 2500)["facts"]) for i in range(40)]
        dense = []
        for i in range(40):
            d = datagen.make_document(random.Random(i), 2500, dense_share=1.0)
            dense.append(len(d["facts"]))
            text = " ".join(datagen.render(d, random.Random(1)).split())  # lines may wrap inside a value
            for f in d["facts"]:  # every fact is stated
                self.assertIn(f.value, text)
        # 8-14 unrelated facts are drawn (a few clash with one already there and are dropped).
        self.assertGreaterEqual(min(dense), 8)
        self.assertGreater(sum(dense) / len(dense), sum(sparse) / len(sparse) + 6)
        # Without it, documents stay what earlier seeds made.
        for i in range(20):
            a = datagen.make_document(random.Random(i), 500)
            b = datagen.make_document(random.Random(i), 500, dense_share=0.0)
            self.assertEqual(a["blocks"], b["blocks"])

    def test_a_value_without_its_space_is_read_where_the_replys_tokens_end(self):
        # At the document's start "Yara" is "Y" + "ara"; the reply writes " Yara" + " Yardley".
        from trainer import dataset

        tok = self.tok
        ids = tok.encode("<|im_start|>user\nYara Yardley is the director of the Windward Lighthouse.")
        pieces = [tok.decode([i]) for i in ids]
        at, n_doc, aligned = dataset._locate_value(tok, ids, "Yara Yardley")
        self.assertEqual("".join(pieces[at : at + n_doc]), "Yara Yardley")
        self.assertEqual(len(aligned), len(tok.encode(" Yara Yardley")))
        self.assertEqual(pieces[aligned[0]], "ara")  # where " Yara"'s text ends
        self.assertEqual(pieces[aligned[1]], " Yardley")
        # With the space present the run itself is used, token for token.
        spaced = tok.encode("Filler. The director is Yara Yardley.")
        at, n_doc, aligned = dataset._locate_value(tok, spaced, "Yara Yardley")
        self.assertEqual(aligned, list(range(at, at + n_doc)))
        self.assertEqual(dataset._locate_value(tok, spaced, "Ulla Quist"), (-1, 0, None))
        # Chat rows of documents that start with a value-first fact carry from that token.
        rng, seen = random.Random(2), 0
        for _ in range(40):
            s = datagen.make_sample(rng, 300, tok.count, kind_weights={"role": 1e6}, start_share=1.0)
            if not s["document"].startswith(s["value"]):
                continue
            row_ids, _, _, _, _, _, carry, _, _, _ = dataset._chat_row(tok, s, 0.1, 3.0)
            targets = [c for c in carry if c >= 0]
            if targets:
                seen += 1
                first_word = s["value"].split(" ")[0]
                upto = tok.decode(row_ids[: targets[0] + 1])
                self.assertTrue(upto.endswith("\n" + first_word), (upto[-30:], first_word))
        self.assertGreater(seen, 5)

    def test_value_first_is_told_by_where_the_key_words_are(self):
        from trainer import dataset

        tok = self.tok
        q = "Who is the director of the Windward Lighthouse?"
        for text, expect in [("Some filler here. Yara Yardley is the director of the Windward Lighthouse. More.", True),
                             ("Some filler here. The director of the Windward Lighthouse is Yara Yardley. More.", False),
                             ("Access code for the north gate: 81-LE\nAccess code for the mill: 22-QT", False)]:
            ids = tok.encode(text)
            v = tok.encode(" Yara Yardley") if "Yara" in text else tok.encode(" 81-LE")
            at = dataset._find_run(ids, v)
            self.assertGreaterEqual(at, 0)
            question = q if "Yara" in text else "What is the access code for the north gate?"
            self.assertEqual(dataset._value_first(tok, ids, at, len(v), question), expect, text)

    def test_kind_weights_choose_the_asked_kind_and_default_keeps_old_samples(self):
        # Without kind_weights no extra random draw is made: these are the samples the generator
        # gave before the option existed (so earlier runs stay reproducible from their seeds).
        got = [datagen.make_sample(random.Random(s), 300, self.tok.count) for s in range(5)]
        self.assertEqual([(x["kind"], x["value"]) for x in got],
                         [("password", "cinnamon"), ("magic", "5279348"), ("role", "Wilhelm Galloway"),
                          ("magic", "3188131"), ("date", "13 August 1929")])
        rng = random.Random(6)
        kinds = {datagen.make_sample(rng, 300, self.tok.count, kind_weights={"role": 1e6})["kind"] for _ in range(20)}
        self.assertEqual(kinds, {"role"})


if __name__ == "__main__":
    unittest.main()


class SampleDocsTest(unittest.TestCase):
    def test_committed_sample_spec_is_reproducible(self):
        # assets/samples/*.pdf are rendered from this spec; template changes must regenerate both.
        import json

        from trainer import sample_docs

        with open(os.path.join(_path.ROOT, "samples", "sample-docs.json"), encoding="utf-8") as f:
            committed = json.load(f)
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        for (name, title, seed, tokens, kinds), doc in zip(sample_docs.DOCS, committed):
            blocks, qa = sample_docs.build(title, seed, tokens, kinds, tok)
            self.assertEqual(doc["name"], name)
            self.assertEqual(doc["blocks"], blocks)
            self.assertEqual(doc["qa"], qa)

    def test_held_out_documents_are_new_and_reproducible(self):
        from trainer import sample_docs

        docs = sample_docs.held_out_docs(4)
        self.assertEqual(docs, sample_docs.held_out_docs(4))
        self.assertEqual([d[0] for d in docs], ["held-out-01", "held-out-02", "held-out-03", "held-out-04"])
        shipped_seeds = {seed for _, _, seed, _, _ in sample_docs.DOCS}
        for name, title, seed, tokens, kinds in docs:
            self.assertNotIn(seed, shipped_seeds)
            self.assertTrue(1900 <= tokens <= 2900)
            self.assertTrue(5 <= len(kinds) <= 7 and len(set(kinds)) == len(kinds))
            self.assertTrue(set(kinds) <= set(facts.KINDS))
        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        out = sample_docs.spec(docs[:1], tok)
        self.assertEqual(out[0]["keep"], [q["answer"] for q in out[0]["qa"]])
        self.assertGreaterEqual(len(out[0]["qa"]), 5)
        with self.assertRaises(SystemExit):  # --held-out needs --out
            sample_docs.main(["--held-out", "2"])

    def test_twin_needles_are_near_misses_and_match_the_committed_file(self):
        import json

        from trainer import sample_docs

        made = sample_docs.twin_needles(505)
        with open(os.path.join(_path.ROOT, "samples", "niah-needles-twins.jsonl"), encoding="utf-8") as f:
            self.assertEqual([json.loads(line) for line in f if line.strip()], made)
        self.assertEqual(len(made), 2 * len(facts.KEY_SLOTS))
        for n in made:
            self.assertIn(n["answer"], n["needle"])
            self.assertNotIn(n["answer"], n["twin"])
        rng = random.Random(3)
        for kind, parts in facts.KEY_SLOTS.items():
            for _ in range(40):
                target = facts.make_fact(rng, kind)
                twin = facts.near_miss(target, rng)
                shared = [p for p in parts if twin.slots[p] == target.slots[p]]
                self.assertTrue(shared, (target.key, twin.key))
                self.assertNotEqual(twin.key, target.key)
                self.assertNotIn(target.value, twin.value)
                self.assertEqual(twin.row_label, facts._row_label(twin))

    def test_training_reports_are_built_like_the_samples_on_other_seeds(self):
        from trainer import sample_docs

        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        rng = random.Random(8)
        for _ in range(6):
            s = sample_docs.training_sample(rng, tok, 2000, max_followups=3)
            for q in [s] + s["followups"]:
                self.assertIn(q["value"], s["document"])
                self.assertIn(" " + q["value"], q["answer"])  # the reply restates the key, then the value
            self.assertIn(s["question"], s["messages"][-1]["content"])
            self.assertLessEqual(len(s["followups"]), 3)
            n_tokens = tok.count(s["document"])
            self.assertTrue(1500 <= n_tokens <= 2600, n_tokens)
        # The same state gives the same document; another state another one.
        a = sample_docs.training_sample(random.Random(3), tok, 1500)
        self.assertEqual(a, sample_docs.training_sample(random.Random(3), tok, 1500))
        self.assertNotEqual(a["document"], sample_docs.training_sample(random.Random(4), tok, 1500)["document"])
        value = sample_docs.training_sample(random.Random(3), tok, 1500, reply="value")
        self.assertEqual(value["answer"], " " + value["value"])


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class BatchTest(unittest.TestCase):
    def test_segments_equal_whole_chat_and_mask_marks_answers(self):
        from trainer import dataset
        from trainer.train_tokenizer import render_chat

        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        rng = random.Random(21)
        for _ in range(30):
            s = datagen.make_sample(rng, 300, tok.count, max_followups=3)
            msgs = s["messages"] + [{"role": "assistant", "content": s["answer"]}]
            for f in s["followups"]:
                msgs += [{"role": "user", "content": f["question"]}, {"role": "assistant", "content": f["answer"]}]
            whole = tok.encode(render_chat(msgs, False))
            segs = [t for seg, _ in dataset.encode_sample(tok, s) for t in seg]
            self.assertEqual(segs, whole[: len(segs)])
            self.assertEqual(tok.decode(whole[len(segs):]), "\n")
        ids, tgt, w, am = dataset.make_batch(tok, random.Random(5), 4, 400, 0.1, max_followups=3)
        # report_share draws nothing below 1,024 tokens: the same batch as without it.
        again = dataset.make_batch(tok, random.Random(5), 4, 400, 0.1, max_followups=3, report_share=1.0)
        self.assertTrue(all((x == y).all() for x, y in zip((ids, tgt, w, am), again)))
        reports = dataset.make_batch(tok, random.Random(5), 2, 2048, 0.1, max_followups=1, report_share=1.0)
        for r in range(2):
            self.assertTrue(reports[3][r].any())
            self.assertGreater(reports[0].shape[1], 1500)
        for r in range(4):
            answers = tok.decode(tgt[r][am[r]].tolist())
            self.assertTrue(answers.endswith(".<|im_end|>"), answers)
            self.assertEqual(answers.count("<|im_end|>"), answers.count(".<|im_end|>"))
            self.assertTrue(((w[r] == 1.0) == am[r]).all())


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class ValueMaskTest(unittest.TestCase):
    def test_value_mask_predicts_the_value(self):
        from trainer import dataset

        tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))
        rng = random.Random(8)
        for _ in range(10):
            rng_state = rng.getstate()
            ids, tgt, w, am, vm = dataset.make_batch(tok, rng, 1, 300, 0.0, value_mask=True)
            rng.setstate(rng_state)
            s = datagen.make_sample(rng, 300 - 45, tok.count)
            self.assertEqual(tok.decode(tgt[0][vm[0]].tolist()), " " + s["value"])
            self.assertTrue((am[0] | ~vm[0]).all())


@unittest.skipUnless(_path.HAVE_TORCH, _path.NO_TORCH_REASON or "torch missing")
class ValueReplyTest(unittest.TestCase):
    """--reply value: every answer is the value alone, after a space, so that a compressed cache's
    reply starts from the full-cache prefill's last position and copies on from the kept value."""

    def setUp(self):
        self.tok = bpe.Tokenizer.load(os.path.join(_path.WEIGHTS, "tokenizer.json"))

    def test_samples_answer_with_the_value_alone(self):
        from trainer import recall

        rng = random.Random(4)
        for _ in range(20):
            s = datagen.make_sample(rng, 300, self.tok.count, max_followups=3, reply="value")
            self.assertEqual(s["answer"], " " + s["value"])
            for f in s["followups"]:
                self.assertEqual(f["answer"], " " + f["value"])
            k = recall.kv_sample(rng, 200, self.tok.count, 3, reply="value")
            self.assertEqual(k["answer"], " " + k["value"])
            self.assertIn(k["answer"], k["messages"][-1]["content"])
        # The same draws as the default wording: only the answers differ.
        a = datagen.make_sample(random.Random(9), 300, self.tok.count, max_followups=2)
        b = datagen.make_sample(random.Random(9), 300, self.tok.count, max_followups=2, reply="value")
        self.assertEqual(a["messages"], b["messages"])
        self.assertNotEqual(a["answer"], b["answer"])
        with self.assertRaises(ValueError):
            datagen.make_sample(random.Random(9), 300, self.tok.count, reply="short")

    def test_batches_predict_the_value_from_the_last_prompt_position(self):
        from trainer import dataset

        tok, rows = self.tok, 16
        ids, tgt, w, am, vm, src, span, carry, read = dataset.make_batch(
            tok, random.Random(12), rows, 400, 0.1, max_followups=2, value_mask=True, sources=True, kv_frac=0.25,
            with_spans=True, with_chain=True, reply="value")
        end = tok.special_ids["<|im_end|>"]
        copied = chained = 0
        for r in range(rows):
            answer_at = am[r].nonzero().flatten().tolist()
            first = answer_at[0]
            # The last prompt position ("assistant\n") predicts the value's first token: the reply
            # is the value, then <|im_end|>.
            self.assertTrue(tok.decode(ids[r][first - 4 : first + 1].tolist()).endswith("<|im_start|>assistant\n"))
            vals = vm[r].nonzero().flatten().tolist()
            self.assertEqual(vals[0], first)
            self.assertEqual(tgt[r][vals[-1] + 1].item(), end)
            self.assertEqual(answer_at[: len(vals) + 1], list(range(first, first + len(vals) + 1)))
            # That position is in the observation window and looks up the value: its first token
            # (key-first facts), or the key end that carries it (value-first facts with a key end).
            if read[r][first] >= 0:
                self.assertGreater(carry[r][read[r][first]].item(), -1)
                chained += 1
            elif src[r][first] >= 0:
                self.assertEqual(ids[r][src[r][first]].item(), tgt[r][first].item())
                self.assertEqual(span[r][first].item(), len(vals))
                copied += 1
        self.assertGreater(copied, rows // 2)
        self.assertGreater(chained, 0)
