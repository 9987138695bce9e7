import { describe, it, expect } from 'vitest';
import { Sampler, argmax, nucleus } from './sampling';
import { Prng } from './prng';

describe('Prng', () => {
  it('is reproducible per seed, differs across seeds and stays in [0, 1)', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const c = new Prng(2);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});

describe('sampling', () => {
  const logits = Float32Array.from([1, 3, 2, 3, -5]);

  it('greedy takes the first maximum', () => {
    expect(argmax(logits)).toBe(1);
    expect(new Sampler({ kind: 'greedy' }).next(logits)).toBe(1);
    expect(new Sampler({ kind: 'sample', temperature: 0, seed: 1 }).next(logits)).toBe(1);
  });

  it('top-k keeps the k largest, ties broken by lower id', () => {
    expect(nucleus(logits, 1, 2, 1).ids).toEqual([1, 3]);
    expect(nucleus(logits, 1, 3, 1).ids).toEqual([1, 3, 2]);
  });

  it('top-p keeps the smallest prefix reaching p of the renormalised mass', () => {
    // probs of [0, ln 1, ln 2, ln 7]: 0.1, 0.2, 0.7 (token 0 has weight ~0)
    const l = Float32Array.from([-100, 0, Math.log(2), Math.log(7)]);
    expect(nucleus(l, 1, 0, 0.69).ids).toEqual([3]);
    expect(nucleus(l, 1, 0, 0.75).ids).toEqual([3, 2]);
    expect(nucleus(l, 1, 0, 1).ids.slice(0, 3)).toEqual([3, 2, 1]);
    // top-k first, then top-p on the two survivors (7/9 of their mass in token 3)
    expect(nucleus(l, 1, 2, 0.8).ids).toEqual([3, 2]);
    expect(nucleus(l, 1, 2, 0.77).ids).toEqual([3]);
  });

  it('finds the exact nucleus over a large flat vocabulary (threshold widening)', () => {
    const v = new Float32Array(50_000).fill(-20);
    v[123] = 0;
    // Token 123 alone has ~1/(1+5e4*e^-20) of the mass; top-p 0.9999999 needs the flat tail too.
    expect(nucleus(v, 1, 0, 0.5).ids).toEqual([123]);
    expect(nucleus(v, 1, 0, 0.9999999).ids.length).toBeGreaterThan(1);
  });

  it('samples reproducibly from a seed and follows the distribution', () => {
    const l = Float32Array.from([0, Math.log(3)]);
    const draw = (seed: number) => {
      const s = new Sampler({ kind: 'sample', temperature: 1, seed });
      return Array.from({ length: 4000 }, () => s.next(l));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    const ones = a.filter((t) => t === 1).length / a.length;
    expect(ones).toBeGreaterThan(0.72);
    expect(ones).toBeLessThan(0.78);
    // Lower temperature sharpens: p(1) = 3^2 / (1 + 3^2) = 0.9 at T = 0.5.
    const s = new Sampler({ kind: 'sample', temperature: 0.5, seed: 3 });
    const sharp = Array.from({ length: 4000 }, () => s.next(l)).filter((t) => t === 1).length;
    expect(sharp / 4000).toBeGreaterThan(0.87);
  });

  it('rejects bad options with the flag name', () => {
    expect(() => new Sampler({ kind: 'sample', temperature: -1, seed: 0 })).toThrow(/temperature/);
    expect(() => new Sampler({ kind: 'sample', temperature: 1, topP: 0, seed: 0 })).toThrow(
      /top-p/,
    );
  });
});
