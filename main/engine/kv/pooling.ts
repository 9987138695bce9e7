/**
 * 1-D pooling of window scores over the prefix columns (compresskv.md, "Window scores" step 4).
 */
import type { Pooling } from '../../../app/kv/policy-options';

/**
 * Pools `src[offset .. offset+n)` into `out[0..n)` with an odd kernel, stride 1, zero padding.
 *
 * Average pooling always divides by `kernel`, also at the edges where part of the kernel falls
 * on the zero padding (as avg_pool1d with count_include_pad). Max pooling ignores the padding
 * (as max_pool1d); scores are non-negative, so zero padding would give the same result.
 * Columns at or past `n` (the window) are padding, never read: they are not candidates.
 */
export function poolPrefix(
  src: ArrayLike<number>,
  offset: number,
  n: number,
  kernel: number,
  pooling: Pooling,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  const r = (kernel - 1) >> 1;
  for (let j = 0; j < n; j++) {
    const lo = j - r < 0 ? 0 : j - r;
    const hi = j + r >= n ? n - 1 : j + r;
    if (pooling === 'avg') {
      // A direct sum (not a running sum) so equal neighbourhoods give bit-identical scores and
      // the tie-breaking stays deterministic.
      let sum = 0;
      for (let t = lo; t <= hi; t++) sum += src[offset + t]!;
      out[j] = sum / kernel;
    } else {
      let max = -Infinity;
      for (let t = lo; t <= hi; t++) {
        const v = src[offset + t]!;
        if (v > max) max = v;
      }
      out[j] = max;
    }
  }
  return out;
}
