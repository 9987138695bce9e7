import { describe, expect, it } from 'vitest';
import { applyRope, ropeInvFreq } from './rope';
import { seededRandom } from './memory-weights';

const vec = (seed: number, n: number) => {
  const r = seededRandom(seed);
  return Float64Array.from({ length: n }, () => r());
};
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('ropeInvFreq', () => {
  it('is theta^(-2i/d) without scaling', () => {
    const inv = ropeInvFreq({ headDim: 4, ropeTheta: 10000, ropeScaling: null });
    expect(Array.from(inv)).toEqual([1, 0.01]);
  });

  it('applies the three llama3 bands', () => {
    // d=4, theta=10000: wavelengths 2*pi (short) and 200*pi (about 628).
    const scaling = (orig: number) => ({
      type: 'llama3' as const,
      factor: 8,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: orig,
    });
    const base = { headDim: 4, ropeTheta: 10000 };
    // orig 1000: band edges at wavelength 250 and 1000, so 628 is in the blended band.
    const mid = ropeInvFreq({ ...base, ropeScaling: scaling(1000) });
    const smooth = (1000 / (200 * Math.PI) - 1) / (4 - 1);
    expect(mid[0]).toBe(1);
    expect(mid[1]).toBeCloseTo(((1 - smooth) * 0.01) / 8 + smooth * 0.01, 15);
    // orig 100: 628 > 100 is a low frequency, divided by the factor.
    const low = ropeInvFreq({ ...base, ropeScaling: scaling(100) });
    expect(low[0]).toBe(1);
    expect(low[1]).toBeCloseTo(0.01 / 8, 15);
    // orig 4000: edges 1000 and 4000, both wavelengths are short: unchanged.
    const high = ropeInvFreq({ ...base, ropeScaling: scaling(4000) });
    expect(Array.from(high)).toEqual([1, 0.01]);
  });
});

describe('applyRope', () => {
  const inv = ropeInvFreq({ headDim: 8, ropeTheta: 10000, ropeScaling: null });

  it('is the identity at position 0', () => {
    const x = vec(3, 8);
    expect(Array.from(applyRope(x, 0, inv))).toEqual(Array.from(x));
  });

  it('rotates first-half/second-half pairs (rotate_half, not interleaved)', () => {
    const x = Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const y = applyRope(x, 1, inv);
    // Dimension 0 pairs with dimension 4 at angle 1 * invFreq[0] = 1 rad.
    expect(y[0]).toBeCloseTo(Math.cos(1), 15);
    expect(y[4]).toBeCloseTo(Math.sin(1), 15);
    expect([y[1], y[2], y[3], y[5], y[6], y[7]]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('keeps the norm and makes q.k depend only on the position difference', () => {
    const q = vec(5, 8);
    const k = vec(6, 8);
    expect(dot(applyRope(q, 37, inv), applyRope(q, 37, inv))).toBeCloseTo(dot(q, q), 12);
    const ref = dot(applyRope(q, 9, inv), applyRope(k, 4, inv));
    for (const offset of [1, 100, 5000]) {
      const shifted = dot(applyRope(q, 9 + offset, inv), applyRope(k, 4 + offset, inv));
      expect(shifted).toBeCloseTo(ref, 9);
    }
    // A different distance gives a different score, so the check above can fail.
    expect(Math.abs(dot(applyRope(q, 10, inv), applyRope(k, 4, inv)) - ref)).toBeGreaterThan(1e-3);
  });
});
