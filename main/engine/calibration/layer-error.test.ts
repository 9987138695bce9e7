import { describe, expect, it } from 'vitest';
import { selectKept } from '../kv/select-kept';
import { errorAwareBudgets } from '../kv/budgets/error-aware-budgets';
import { LayerErrorSum, normaliseLayerErrors, relativeFrobeniusError } from './layer-error';

describe('relativeFrobeniusError', () => {
  it('is ||comp - full|| / (||full|| + 1e-5)', () => {
    expect(relativeFrobeniusError([3, 4], [3, 4])).toBe(0);
    expect(relativeFrobeniusError([0, 0], [3, 4])).toBeCloseTo(5 / (5 + 1e-5), 12);
    expect(relativeFrobeniusError([3, 5], [3, 4])).toBeCloseTo(1 / (5 + 1e-5), 12);
    // A zero full output does not divide by zero.
    expect(relativeFrobeniusError([1e-5, 0], [0, 0])).toBeCloseTo(1, 6);
    expect(() => relativeFrobeniusError([1], [1, 2])).toThrow();
  });
});

describe('layer errors -> layer scores -> budgets', () => {
  it('sums steps per layer, L1-normalises, and feeds the error-aware allocation', () => {
    const sum = new LayerErrorSum(3);
    const full = [
      [1, 0],
      [1, 0],
      [1, 0],
    ];
    sum.addStep(
      [
        [1, 0],
        [0.9, 0],
        [0.5, 0],
      ],
      full,
    );
    sum.addStep(
      [
        [1, 0],
        [0.9, 0],
        [0.3, 0],
      ],
      full,
    );
    expect(sum.steps).toBe(2);
    const e = normaliseLayerErrors(Array.from(sum.sums));
    expect(e.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(e[0]).toBe(0);
    expect(e[2]!).toBeGreaterThan(e[1]!);
    // The layer with the largest error gets the largest budget; the total is B x L.
    const budgets = errorAwareBudgets(e, { budget: 64, min: 32, max: 192 });
    expect(budgets.reduce((a, b) => a + b, 0)).toBe(192);
    expect(budgets[0]).toBe(32);
    expect(budgets[2]!).toBeGreaterThan(budgets[1]!);
    // CompressKV's selection uses exactly these budgets when given the calibration.
    const T = 400;
    const scores = {
      H: 2,
      G: 1,
      T,
      layers: [0, 1, 2].map(() => ({ window: new Float32Array(2 * T).fill(1 / T) })),
    };
    expect(selectKept('compresskv', scores, 64, {}, { layerScores: e }).budgets).toEqual(budgets);
  });

  it('refuses all-zero errors with an actionable message', () => {
    expect(() => normaliseLayerErrors([0, 0])).toThrow(/longer --lengths/);
  });
});
