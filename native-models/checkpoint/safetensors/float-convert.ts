/**
 * Exact conversions between float32 and the 16-bit float formats stored in safetensors files.
 *
 * Half -> float32 and bfloat16 -> float32 are exact (every 16-bit value is representable).
 * Float32 -> 16-bit rounds to nearest, ties to even, like PyTorch's `.to(torch.float16)` and
 * `.to(torch.bfloat16)`; NaN stays NaN (quiet) and overflow becomes infinity.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 value of every half-precision bit pattern, built once (256 KiB). */
const HALF_TABLE: Float32Array = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    let v: number;
    if (exp === 0) v = mant * 2 ** -24;
    else if (exp === 31) v = mant === 0 ? Infinity : NaN;
    else v = (1 + mant / 1024) * 2 ** (exp - 15);
    table[h] = sign * v;
  }
  return table;
})();

/** float32 value of a half-precision bit pattern. */
export function halfBitsToFloat(h: number): number {
  return HALF_TABLE[h & 0xffff]!;
}

/** float32 value of a bfloat16 bit pattern (the top half of a float32). */
export function bfloat16BitsToFloat(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/** Half-precision bits of a number, rounded to nearest even. */
export function floatToHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Below 2^-25 everything rounds to zero (2^-25 itself is a tie that goes to even, i.e. 0).
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    // A carry out of the mantissa correctly produces the smallest normal number.
    return sign | (rem > halfway || (rem === halfway && half & 1) ? half + 1 : half);
  }
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry may ripple into the exponent (and up to infinity), which is the correct result.
  return sign | (rem > 0x1000 || (rem === 0x1000 && half & 1) ? half + 1 : half);
}

/** bfloat16 bits of a number, rounded to nearest even. */
export function floatToBfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0)
    return ((x >>> 16) & 0x8000) | 0x7fc0;
  const lsb = (x >>> 16) & 1;
  return ((x + 0x7fff + lsb) >>> 16) & 0xffff;
}

/** Decodes `count` little-endian half values from `bytes` into `out` starting at `outOffset`. */
export function decodeHalf(
  bytes: Uint8Array,
  out: Float32Array,
  outOffset: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    out[outOffset + i] = HALF_TABLE[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  }
}

/** Decodes `count` little-endian bfloat16 values from `bytes` into `out` at `outOffset`. */
export function decodeBfloat16(
  bytes: Uint8Array,
  out: Float32Array,
  outOffset: number,
  count: number,
): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset + outOffset * 4, count);
  for (let i = 0; i < count; i++) bits[i] = (bytes[2 * i]! << 16) | (bytes[2 * i + 1]! << 24);
}

/** Encodes float32 values as little-endian 16-bit values (half or bfloat16) into `bytes`. */
export function encode16(
  values: Float32Array,
  start: number,
  count: number,
  bytes: Uint8Array,
  toBits: (v: number) => number,
): void {
  for (let i = 0; i < count; i++) {
    const b = toBits(values[start + i]!);
    bytes[2 * i] = b & 0xff;
    bytes[2 * i + 1] = b >>> 8;
  }
}
