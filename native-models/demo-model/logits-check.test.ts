import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../checkpoint/open-checkpoint';
import { referenceLogits } from '../reference/reference-forward';

// weights/logits-check.json is written by the trainer's export (trainer/export.py) from the
// exported fp16 weights. The project's own float64 reference forward pass, reading the same
// folder through the importer, must give the same logits: trainer and app run the same model.
const weights = join(import.meta.dirname, 'weights');
const checkPath = join(weights, 'logits-check.json');

interface LogitsCheck {
  tokens: number[];
  top_ids: number[];
  top_logits: number[];
  max_abs: number;
}

describe('bundled demo weights', () => {
  it.skipIf(!existsSync(checkPath))('give the trainer’s logits in the TypeScript reference', () => {
    const check = JSON.parse(readFileSync(checkPath, 'utf8')) as LogitsCheck;
    const ck = openCheckpoint(weights);
    try {
      expect(ck.spec.numLayers).toBeGreaterThanOrEqual(4);
      const logits = referenceLogits(ck, check.tokens);
      const tol = 1e-4 * check.max_abs;
      check.top_ids.forEach((id, i) => {
        expect(Math.abs(logits[id]! - check.top_logits[i]!), `token ${id}`).toBeLessThan(tol);
      });
      const argmax = logits.reduce((best, v, i) => (v > logits[best]! ? i : best), 0);
      expect(argmax).toBe(check.top_ids[0]);
    } finally {
      ck.dispose();
    }
  });
});
