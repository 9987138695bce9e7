import { describe, expect, it } from 'vitest';
import { pyramidBudgets } from './pyramid-budgets';

describe('pyramidBudgets', () => {
  it('falls linearly with the same total (hand-worked, L=4)', () => {
    // P = 40, min = 2, max = 78, step = 76/3: p = 78, 52.67, 27.33, 2 -> floors 78, 52, 27, 2
    // (159); the missing 1 goes to the largest fraction (layer 1). Plus W = 8.
    expect(pyramidBudgets({ budget: 48, layers: 4, window: 8, beta: 20 })).toEqual([
      86, 61, 35, 10,
    ]);
  });

  it('matches the reference shape for B=128, W=8, L=32 with an exact total', () => {
    const b = pyramidBudgets({ budget: 128, layers: 32, window: 8, beta: 20 });
    expect(b[0]).toBe(8 + 234);
    expect(b[31]).toBe(8 + 6);
    expect(b.reduce((a, x) => a + x, 0)).toBe(128 * 32);
    for (let l = 1; l < 32; l++) expect(b[l]!).toBeLessThanOrEqual(b[l - 1]!);
  });

  it('caps the first layer at the prompt and moves the rest down (reference rule)', () => {
    // P = 8: min 0.4, max 15.6 > T - W = 10 -> max = 10, min = 16 - 10 = 6.
    expect(
      pyramidBudgets({ budget: 10, layers: 2, window: 2, beta: 20, promptLength: 12 }),
    ).toEqual([12, 8]);
    // Without the cap: p = 15.6, 0.4 -> 15, 0 + 1 to layer 0 (larger fraction).
    expect(pyramidBudgets({ budget: 10, layers: 2, window: 2, beta: 20 })).toEqual([18, 2]);
  });

  it('is uniform for one layer, a budget within the window, or a budget above T', () => {
    expect(pyramidBudgets({ budget: 64, layers: 1, window: 8, beta: 20 })).toEqual([64]);
    expect(pyramidBudgets({ budget: 8, layers: 3, window: 8, beta: 20 })).toEqual([8, 8, 8]);
    expect(
      pyramidBudgets({ budget: 64, layers: 2, window: 8, beta: 20, promptLength: 40 }),
    ).toEqual([64, 64]);
  });

  it('keeps the total exact over many shapes', () => {
    for (const L of [2, 3, 5, 24, 28, 32, 80]) {
      for (const budget of [9, 32, 100, 128, 513, 2048]) {
        for (const T of [undefined, 50, 1000, 40000]) {
          const b = pyramidBudgets({ budget, layers: L, window: 8, beta: 20, promptLength: T });
          expect(b.reduce((a, x) => a + x, 0)).toBe(budget * L);
          for (const x of b) expect(x).toBeGreaterThanOrEqual(8);
        }
      }
    }
  });
});
