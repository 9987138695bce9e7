/**
 * Prints how long selection takes at the app's largest size (T = 32k, 24 layers, 14 heads), the
 * budget slider's case. Not a timed assertion: the shared CI cores make timings noisy; the test
 * checks the results' shape and prints the times for the report.
 */
import { describe, expect, it } from 'vitest';
import type { KvMethod } from '../../../app/kv/methods';
import { buildRetentionMap } from './retention-map';
import { selectKept } from './select-kept';
import type { ScoreInput } from './score-input';

const T = 32768;
const L = 24;
const H = 14;
const G = 2;

function randomInput(): ScoreInput {
  let seed = 42;
  const layers = Array.from({ length: L }, () => {
    const window = new Float32Array(H * T);
    for (let i = 0; i < window.length; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      window[i] = (seed / 4294967296) ** 8; // heavy-tailed, like attention
    }
    return { window, accumulated: window };
  });
  return { H, G, T, layers };
}

describe('selection speed (printout)', () => {
  it('re-selects in milliseconds once scores are cached', () => {
    const input = randomInput();
    const calibration = {
      heads: Object.fromEntries(Array.from({ length: L }, (_, l) => [String(l), [3, 1, 7, 0, 2]])),
      layerScores: Array.from({ length: L }, (_, l) => 1 + (l % 5)),
    };
    const lines: string[] = [];
    const methods: KvMethod[] = ['snapkv', 'pyramidkv', 'compresskv', 'h2o', 'streamingllm'];
    const ms = (f: () => void): number => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    for (const method of methods) {
      let first: ReturnType<typeof selectKept> | undefined;
      const firstMs = ms(() => (first = selectKept(method, input, 512, {}, calibration)));
      // The second query of each score array sorts a copy once (ranked-scores.ts).
      const secondMs = ms(() => selectKept(method, input, 256, {}, calibration));
      const moves: number[] = [];
      for (const budget of [64, 96, 128, 192, 256, 384, 1024, 1536, 2048, 2047]) {
        moves.push(
          ms(() => {
            const r = selectKept(method, input, budget, {}, calibration);
            expect(r.budgets.reduce((a, x) => a + x, 0)).toBe(budget * L);
          }),
        );
      }
      moves.sort((a, b) => a - b);
      const mapMs = ms(() => {
        const map = buildRetentionMap(first!, T, 2 * G * 64 * 2);
        expect(map.totals.tokensKept).toBe(512 * L);
      });
      lines.push(
        `${method}: first ${firstMs.toFixed(1)} ms (scores + select), second ${secondMs.toFixed(1)} ms, ` +
          `slider moves median ${moves[5]!.toFixed(1)} / max ${moves[9]!.toFixed(1)} ms, ` +
          `retention map ${mapMs.toFixed(1)} ms`,
      );
    }
    console.log(`selectKept, T=${T}, L=${L}, H=${H}, G=${G}:\n  ${lines.join('\n  ')}`);
  });
});
