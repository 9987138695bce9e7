/**
 * Small deterministic PRNG for random checkpoints: mulberry32 for uniform numbers, Box-Muller for
 * normals, and a string hash so each tensor gets its own stream (a tensor's values then do not
 * depend on which other tensors exist or in what order they are written).
 */

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Seeded generator of uniform [0, 1) and standard normal numbers. */
export class Random {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** `count` values mean + std * N(0, 1). */
  fillNormal(count: number, mean: number, std: number): Float32Array {
    const out = new Float32Array(count);
    // Same streams as next()/normal(), inlined: checkpoints of ~500M values are generated here.
    let state = this.state;
    const uniform = (): number => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let i = 0;
    if (this.spare !== null && count > 0) {
      out[i++] = mean + std * this.spare;
      this.spare = null;
    }
    for (; i + 1 < count; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - uniform()));
      const a = 2 * Math.PI * uniform();
      out[i] = mean + std * r * Math.cos(a);
      out[i + 1] = mean + std * r * Math.sin(a);
    }
    this.state = state;
    if (i < count) out[i] = mean + std * this.normal();
    return out;
  }
}
