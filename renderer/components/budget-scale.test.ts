import { describe, it, expect } from 'vitest';
import { budgetAt, stepOf, STEPS } from './budget-scale';

describe('budget slider scale', () => {
  it('spans min..max geometrically and inverts', () => {
    expect(budgetAt(0, 32, 8192)).toBe(32);
    expect(budgetAt(STEPS, 32, 8192)).toBe(8192);
    expect(budgetAt(STEPS / 2, 32, 8192)).toBe(512);
    for (const b of [32, 100, 512, 3000, 8192]) {
      expect(Math.abs(budgetAt(stepOf(b, 32, 8192), 32, 8192) - b) / b).toBeLessThan(0.01);
    }
    expect(stepOf(10, 32, 8192)).toBe(0);
    expect(budgetAt(500, 64, 64)).toBe(64);
  });
});
