/**
 * Seeded choices for the probe generator (a thin layer over the generation module's Prng), so a
 * seed fixes every filler sentence and needle and a probe set can be regenerated exactly.
 */
import { Prng } from '../generation/prng';

export class SeededRandom {
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = new Prng(seed);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: empty list');
    return items[this.int(items.length)]!;
  }
}

/** A seed derived from a base seed and small integers (probe index, length, ...), stable. */
export function deriveSeed(base: number, ...parts: number[]): number {
  let h = (Math.trunc(base) ^ 0x2545f491) >>> 0;
  for (const p of parts) {
    h = Math.imul(h ^ (Math.trunc(p * 1000) >>> 0), 0x01000193) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h;
}
