/**
 * A small seeded pseudo-random generator so sampled generations are reproducible from a seed.
 *
 * Marsaglia's xorshift32 on a state scrambled from the seed; statistical quality far beyond what
 * drawing one token per step needs, and identical across Node versions (no Math.random).
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    // Spread nearby seeds (0, 1, 2...) apart and avoid xorshift's forbidden all-zero state.
    let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    s = (s ^ (s >>> 16)) >>> 0;
    this.state = s === 0 ? 0x6d2b79f5 : s;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
}
