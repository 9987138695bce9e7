/**
 * RoPE inverse frequencies inv_freq[i] = theta^(-2i/d), with Llama 3 scaling applied when the
 * config asks for it. Computed in float64 at build time, stored as float32.
 */
import type { ModelSpec } from '../../../app/model/model-spec';

/** inv_freq of length headDim/2 for `spec`, including rope_scaling of type llama3. */
export function ropeInvFreq(spec: ModelSpec): Float64Array {
  const d = spec.headDim;
  const half = d / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = Math.pow(spec.ropeTheta, -(2 * i) / d);
  const s = spec.ropeScaling;
  if (!s) return inv;
  // Llama 3: long wavelengths are slowed by `factor`, short ones kept, the band between blended.
  const lowFreqWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const highFreqWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  for (let i = 0; i < half; i++) {
    const f = inv[i]!;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen > lowFreqWavelen) {
      inv[i] = f / s.factor;
    } else if (wavelen >= highFreqWavelen) {
      const smooth =
        (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) /
        (s.highFreqFactor - s.lowFreqFactor);
      inv[i] = (1 - smooth) * (f / s.factor) + smooth * f;
    }
  }
  return inv;
}
