import { describe, expect, it } from 'vitest';
import { KvLensError } from '../../../../app/errors';
import { errorAwareBudgets, roundHalfEven } from './error-aware-budgets';

describe('roundHalfEven', () => {
  it('rounds exact halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 3.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, -2, 2, 3]);
  });
});

describe('errorAwareBudgets', () => {
  it('uses round half to even (2.5 -> 2, 1.5 -> 2: no fix-up needed)', () => {
    // total 68, spare 68 - 64 = 4; 0.625*4 = 2.5 -> 2, 0.375*4 = 1.5 -> 2.
    expect(errorAwareBudgets([0.625, 0.375], { budget: 34, min: 32, max: 102 })).toEqual([34, 34]);
    // spare 4: 0.5 -> 0, 1.5 -> 2, 1 -> 1, 1 -> 1 (half-up would give 1 for the first).
    expect(errorAwareBudgets([0.125, 0.375, 0.25, 0.25], { budget: 2, min: 1, max: 6 })).toEqual([
      1, 3, 2, 2,
    ]);
  });

  it('short: round-robin passes over layers below M by decreasing e, ties in layer order', () => {
    // total 12, spare 9: 7.2 -> 7, 0.9 -> 1, 0.9 -> 1 => [8, 2, 2] clipped to [5, 2, 2] = 9.
    // Short by 3. Order: L0 (0.8), L1 (0.1), L2 (0.1). Pass 1: L0 at M, L1 +1, L2 +1.
    // Pass 2: L0 at M, L1 +1. => [5, 4, 3].
    expect(errorAwareBudgets([0.8, 0.1, 0.1], { budget: 4, min: 1, max: 5 })).toEqual([5, 4, 3]);
  });

  it('over: passes over layers above m by increasing e, ties in layer order', () => {
    // total 102, spare 6: 1.5 -> 2, 1.5 -> 2, 3 => [34, 34, 35] = 103, over by 1.
    // Order: L0 (0.25), L1 (0.25), L2 (0.5): L0 -1.
    expect(errorAwareBudgets([0.25, 0.25, 0.5], { budget: 34, min: 32, max: 102 })).toEqual([
      33, 34, 35,
    ]);
    // total 132, spare 4: 0, 1.5 -> 2, 1.5 -> 2, 1 => [32, 34, 34, 33] = 133, over by 1.
    // Order: L0 (0, at m: skipped), L3 (0.25) -1.
    expect(errorAwareBudgets([0, 0.375, 0.375, 0.25], { budget: 33, min: 32, max: 99 })).toEqual([
      32, 34, 34, 32,
    ]);
  });

  it('keeps the total exact and the bounds on random scores', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 300; trial++) {
      const L = 1 + Math.floor(rand() * 40);
      const budget = 32 + Math.floor(rand() * 2000);
      const raw = Array.from({ length: L }, () => (rand() < 0.2 ? 0 : rand() ** 3));
      raw[0] = raw[0]! + 1e-3;
      const sum = raw.reduce((a, x) => a + x, 0);
      const e = raw.map((x) => x / sum);
      const b = errorAwareBudgets(e, { budget, min: 32, max: 3 * budget });
      expect(b.reduce((a, x) => a + x, 0)).toBe(budget * L);
      for (const x of b) {
        expect(Number.isInteger(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(32);
        expect(x).toBeLessThanOrEqual(3 * budget);
      }
    }
  });

  it('throws when no allocation within [m, M] reaches the total', () => {
    expect(() => errorAwareBudgets([0.5, 0.5], { budget: 16, min: 32, max: 48 })).toThrow(
      KvLensError,
    );
    expect(() => errorAwareBudgets([0.5, 0.5], { budget: 64, min: 32, max: 48 })).toThrow(
      /layer budgets in \[32, 48\]/,
    );
  });
});
