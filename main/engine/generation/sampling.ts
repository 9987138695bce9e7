/**
 * Next-token choice: greedy argmax, or seeded sampling with temperature, top-k and top-p applied
 * in that order (temperature scales, top-k cuts, top-p cuts the renormalised rest).
 */
import { KvLensError } from '../../../app/errors';
import { Prng } from './prng';

export type SamplingOptions =
  | { kind: 'greedy' }
  | { kind: 'sample'; temperature: number; topK?: number; topP?: number; seed: number };

/** Index of the largest logit (the first one on ties). */
export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** Picks tokens one step at a time; holds the PRNG so a seed fixes the whole sequence. */
export class Sampler {
  private readonly rng: Prng | null;

  constructor(readonly options: SamplingOptions) {
    if (options.kind === 'sample') {
      const { temperature, topK, topP } = options;
      if (!(temperature >= 0)) throw bad('temperature', 'a number >= 0', temperature);
      if (topP !== undefined && !(topP > 0 && topP <= 1)) throw bad('top-p', 'in (0, 1]', topP);
      if (topK !== undefined && !(Number.isInteger(topK) && topK >= 0)) {
        throw bad('top-k', 'an integer >= 0 (0 = off)', topK);
      }
    }
    this.rng = options.kind === 'sample' ? new Prng(options.seed) : null;
  }

  next(logits: Float32Array): number {
    const o = this.options;
    if (o.kind === 'greedy' || o.temperature === 0 || !this.rng) return argmax(logits);
    const { ids, weights } = nucleus(logits, o.temperature, o.topK ?? 0, o.topP ?? 1);
    let total = 0;
    for (const w of weights) total += w;
    let u = this.rng.next() * total;
    for (let i = 0; i < ids.length; i++) {
      u -= weights[i]!;
      if (u < 0) return ids[i]!;
    }
    return ids[ids.length - 1]!;
  }
}

/**
 * The tokens left after top-k and top-p, with unnormalised weights exp((l - max) / T).
 *
 * Sorting a 150k vocabulary every step is the slow part, so only tokens above a weight threshold
 * are sorted; the threshold is lowered until that set provably contains the answer (k tokens, or
 * enough probability mass for top-p), which makes the result exact.
 */
export function nucleus(logits: Float32Array, temperature: number, topK: number, topP: number) {
  const V = logits.length;
  let max = -Infinity;
  for (let i = 0; i < V; i++) max = Math.max(max, logits[i]!);
  const w = new Float64Array(V);
  let z = 0;
  for (let i = 0; i < V; i++) {
    w[i] = Math.exp((logits[i]! - max) / temperature);
    z += w[i]!;
  }
  const k = topK > 0 && topK < V ? topK : V;
  for (let threshold = 1e-4; ; threshold = threshold > 1e-30 ? threshold * 1e-6 : 0) {
    const cand: number[] = [];
    let mass = 0;
    for (let i = 0; i < V; i++) {
      if (w[i]! >= threshold) {
        cand.push(i);
        mass += w[i]!;
      }
    }
    const enough = k < V ? cand.length >= k : mass >= topP * z;
    if (!enough && threshold > 0) continue;
    cand.sort((a, b) => w[b]! - w[a]! || a - b);
    const top = cand.slice(0, k);
    let zk = 0;
    for (const i of top) zk += w[i]!;
    const ids: number[] = [];
    const weights: number[] = [];
    let cum = 0;
    for (const i of top) {
      ids.push(i);
      weights.push(w[i]!);
      cum += w[i]!;
      if (cum >= topP * zk) break;
    }
    return { ids, weights };
  }
}

function bad(flag: string, allowed: string, got: unknown) {
  return new KvLensError('invalid-argument', `--${flag} must be ${allowed}, got ${String(got)}.`);
}
