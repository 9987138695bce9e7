/**
 * Float64 building blocks of the reference forward pass: plain loops, no tricks, so a reader can
 * check each one against the Hugging Face modeling code by eye.
 */

/** y = W x (+ b) for a row-major weight W of shape [out, in], as torch.nn.Linear stores it. */
export function linear(
  w: Float64Array,
  x: Float64Array,
  outDim: number,
  bias?: Float64Array,
): Float64Array {
  const inDim = x.length;
  if (w.length !== outDim * inDim) {
    throw new Error(`linear: weight has ${w.length} values, expected ${outDim}x${inDim}`);
  }
  const y = new Float64Array(outDim);
  for (let o = 0; o < outDim; o++) {
    let s = 0;
    const row = o * inDim;
    for (let i = 0; i < inDim; i++) s += w[row + i]! * x[i]!;
    y[o] = s + (bias ? bias[o]! : 0);
  }
  return y;
}

/** RMSNorm: x / sqrt(mean(x^2) + eps) * w. */
export function rmsNorm(x: Float64Array, w: Float64Array, eps: number): Float64Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  const inv = 1 / Math.sqrt(ss / x.length + eps);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * inv * w[i]!;
  return y;
}

/** SiLU(x) = x * sigmoid(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/** Numerically stable softmax of a score vector. */
export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  const p = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    p[i] = Math.exp(scores[i]! - max);
    sum += p[i]!;
  }
  for (let i = 0; i < p.length; i++) p[i] = p[i]! / sum;
  return p;
}

/** Dot product of two equal-length vectors. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** a += b, in place. */
export function addInPlace(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! + b[i]!;
}
