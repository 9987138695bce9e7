import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUPPORTED_FAMILIES } from '../../app/model/model-spec';
import { makeCheckpoint } from '../checkpoint/make-checkpoint';
import { openCheckpoint } from '../checkpoint/open-checkpoint';
import { tensorShapes } from './memory-weights';
import { referenceForwardWithCache, referenceLogits } from './reference-forward';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-ref-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const PROMPT = [5, 77, 301, 12, 490, 3, 250, 18, 64];

function relDiff(a: Float64Array, b: Float64Array): number {
  let max = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / max;
}

const argmax = (a: Float64Array) => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);

describe('reference forward on random Hugging Face checkpoints', () => {
  for (const family of SUPPORTED_FAMILIES) {
    it(`${family}: the reference's tensor layout matches the checkpoint's`, () => {
      const dir = path.join(tmp, `${family}-layout`);
      makeCheckpoint({ family, outDir: dir, seed: 3, dtype: 'bf16', shards: 2 });
      const ck = openCheckpoint(dir);
      try {
        const shapes = tensorShapes(ck.spec);
        expect(ck.tensorNames()).toEqual([...shapes.keys()].sort());
        for (const [name, shape] of shapes) expect(ck.shape(name)).toEqual(shape);
      } finally {
        ck.dispose();
      }
    });

    it(`${family}: cached greedy decoding equals recomputing the whole sequence`, () => {
      const dir = path.join(tmp, `${family}-decode`);
      makeCheckpoint({ family, outDir: dir, seed: 4 });
      const ck = openCheckpoint(dir);
      try {
        const first = referenceForwardWithCache(ck, PROMPT.slice(0, 4));
        let step = referenceForwardWithCache(ck, PROMPT.slice(4), { cache: first.cache });
        expect(relDiff(referenceLogits(ck, PROMPT), step.logits)).toBeLessThan(1e-12);
        const seq = [...PROMPT];
        for (let i = 0; i < 4; i++) {
          const next = argmax(step.logits);
          seq.push(next);
          step = referenceForwardWithCache(ck, [next], { cache: step.cache });
          expect(relDiff(referenceLogits(ck, seq), step.logits)).toBeLessThan(1e-12);
        }
        // The weights are scaled to give spread-out logits: the test would notice garbage.
        const l = step.logits;
        const mean = l.reduce((s, v) => s + v, 0) / l.length;
        const std = Math.sqrt(l.reduce((s, v) => s + (v - mean) ** 2, 0) / l.length);
        expect(l.every(Number.isFinite)).toBe(true);
        expect(std).toBeGreaterThan(0.1);
        // A shifted start position changes nothing but the absolute angles.
        const shifted = referenceLogits(
          ck,
          seq,
          seq.map((_, i) => i + 3000),
        );
        expect(relDiff(referenceLogits(ck, seq), shifted)).toBeLessThan(1e-9);
      } finally {
        ck.dispose();
      }
    });
  }
});
