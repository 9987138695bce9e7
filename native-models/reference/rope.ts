/**
 * Rotary position embedding as Hugging Face's Llama family applies it: non-interleaved
 * (rotate_half pairs dimension i with i + d/2), inverse frequencies theta^(-2i/d), optionally
 * rescaled by Llama 3's rope_scaling. Angles are computed in float64 from the explicit position.
 */
import type { ModelSpec } from '../../app/model/model-spec';

/** The d/2 inverse frequencies of a model, with Llama 3 scaling applied when configured. */
export function ropeInvFreq(spec: Pick<ModelSpec, 'headDim' | 'ropeTheta' | 'ropeScaling'>) {
  const d = spec.headDim;
  const inv = new Float64Array(d / 2);
  for (let i = 0; i < d / 2; i++) inv[i] = Math.pow(spec.ropeTheta, -(2 * i) / d);
  const sc = spec.ropeScaling;
  if (sc === null) return inv;
  // Same three bands as transformers' _compute_llama3_parameters: high frequencies (short
  // wavelengths) untouched, low frequencies divided by factor, a linear blend in between.
  const orig = sc.originalMaxPositionEmbeddings;
  const lowFreqWavelen = orig / sc.lowFreqFactor;
  const highFreqWavelen = orig / sc.highFreqFactor;
  for (let i = 0; i < inv.length; i++) {
    const f = inv[i]!;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highFreqWavelen) continue;
    if (wavelen > lowFreqWavelen) {
      inv[i] = f / sc.factor;
      continue;
    }
    const smooth = (orig / wavelen - sc.lowFreqFactor) / (sc.highFreqFactor - sc.lowFreqFactor);
    inv[i] = ((1 - smooth) * f) / sc.factor + smooth * f;
  }
  return inv;
}

/**
 * Rotates one head vector (length d) for a position: x*cos + rotate_half(x)*sin.
 *
 * rotate_half(x) = [-x2, x1] with x1 the first and x2 the second half, and both halves use the
 * same angle pos * invFreq[i], which is what HF's cat((freqs, freqs)) produces.
 */
export function applyRope(x: Float64Array, position: number, invFreq: Float64Array): Float64Array {
  const half = x.length / 2;
  if (invFreq.length !== half) {
    throw new Error(`applyRope: head of ${x.length} needs ${half} frequencies`);
  }
  const y = new Float64Array(x.length);
  for (let i = 0; i < half; i++) {
    const angle = position * invFreq[i]!;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const x1 = x[i]!;
    const x2 = x[i + half]!;
    y[i] = x1 * c - x2 * s;
    y[i + half] = x2 * c + x1 * s;
  }
  return y;
}
