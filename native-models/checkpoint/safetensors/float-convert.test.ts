import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToFloat,
  floatToBfloat16Bits,
  floatToHalfBits,
  halfBitsToFloat,
} from './float-convert';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number): number => {
  u32[0] = b >>> 0;
  return f32[0]!;
};
const isNanHalf = (h: number): boolean => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const isNanBf = (b: number): boolean => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;

describe('half precision', () => {
  it('decodes edge values exactly', () => {
    expect(halfBitsToFloat(0x0000)).toBe(0);
    expect(Object.is(halfBitsToFloat(0x8000), -0)).toBe(true);
    expect(halfBitsToFloat(0x3c00)).toBe(1);
    expect(halfBitsToFloat(0xc000)).toBe(-2);
    expect(halfBitsToFloat(0x7bff)).toBe(65504);
    expect(halfBitsToFloat(0x0001)).toBe(2 ** -24);
    expect(halfBitsToFloat(0x03ff)).toBe(1023 * 2 ** -24);
    expect(halfBitsToFloat(0x0400)).toBe(2 ** -14);
    expect(halfBitsToFloat(0x7c00)).toBe(Infinity);
    expect(halfBitsToFloat(0xfc00)).toBe(-Infinity);
    expect(halfBitsToFloat(0x7e00)).toBeNaN();
    expect(halfBitsToFloat(0x7c01)).toBeNaN();
  });

  it('round-trips every half bit pattern', () => {
    for (let h = 0; h < 65536; h++) {
      const back = floatToHalfBits(halfBitsToFloat(h));
      if (isNanHalf(h)) expect(isNanHalf(back)).toBe(true);
      else expect(back).toBe(h);
    }
  });

  it('rounds to nearest, ties to even, between every pair of neighbours', () => {
    for (let h = 0; h < 0x7bff; h++) {
      const a = halfBitsToFloat(h);
      const b = halfBitsToFloat(h + 1);
      const mid = (a + b) / 2; // exact in float32: halves have 11 significant bits
      const even = h % 2 === 0 ? h : h + 1;
      expect(floatToHalfBits(mid)).toBe(even);
      expect(floatToHalfBits(-mid)).toBe(even | 0x8000);
      f32[0] = mid;
      const bits = u32[0]!;
      expect(floatToHalfBits(fromBits(bits + 1))).toBe(h + 1);
      if (mid > 0) expect(floatToHalfBits(fromBits(bits - 1))).toBe(h);
    }
  });

  it('handles overflow, underflow and special values', () => {
    expect(floatToHalfBits(65519.99)).toBe(0x7bff);
    expect(floatToHalfBits(65520)).toBe(0x7c00); // tie between 65504 and "65536" -> even = inf
    expect(floatToHalfBits(1e10)).toBe(0x7c00);
    expect(floatToHalfBits(-1e10)).toBe(0xfc00);
    expect(floatToHalfBits(Infinity)).toBe(0x7c00);
    expect(floatToHalfBits(-Infinity)).toBe(0xfc00);
    expect(isNanHalf(floatToHalfBits(NaN))).toBe(true);
    expect(floatToHalfBits(2 ** -25)).toBe(0); // tie -> even (zero)
    expect(floatToHalfBits(2 ** -25 * 1.5)).toBe(1);
    expect(floatToHalfBits(2 ** -26)).toBe(0);
    expect(floatToHalfBits(-(2 ** -30))).toBe(0x8000);
    expect(floatToHalfBits(1e-45)).toBe(0); // float32 subnormal
    expect(floatToHalfBits(2 ** -14 - 2 ** -25)).toBe(0x0400); // rounds up into the normals
  });
});

describe('bfloat16', () => {
  it('round-trips every bfloat16 bit pattern', () => {
    for (let b = 0; b < 65536; b++) {
      const v = bfloat16BitsToFloat(b);
      const back = floatToBfloat16Bits(v);
      if (isNanBf(b)) expect(isNanBf(back)).toBe(true);
      else expect(back).toBe(b);
    }
  });

  it('rounds to nearest, ties to even', () => {
    for (let b = 0; b < 0x7f7f; b += 7) {
      const lo = (b << 16) >>> 0;
      const even = b % 2 === 0 ? b : b + 1;
      expect(floatToBfloat16Bits(fromBits(lo + 0x8000))).toBe(even);
      expect(floatToBfloat16Bits(fromBits(lo + 0x8001))).toBe(b + 1);
      expect(floatToBfloat16Bits(fromBits(lo + 0x7fff))).toBe(b);
    }
  });

  it('handles special values', () => {
    expect(bfloat16BitsToFloat(0x3f80)).toBe(1);
    expect(bfloat16BitsToFloat(0x0001)).toBe(2 ** -133); // subnormal
    expect(floatToBfloat16Bits(Infinity)).toBe(0x7f80);
    expect(floatToBfloat16Bits(-Infinity)).toBe(0xff80);
    expect(floatToBfloat16Bits(3.4e38)).toBe(0x7f80); // above the largest bf16 -> inf
    expect(isNanBf(floatToBfloat16Bits(NaN))).toBe(true);
    // A NaN whose payload sits only in the low bits must not become infinity.
    expect(isNanBf(floatToBfloat16Bits(fromBits(0x7f800001)))).toBe(true);
    expect(Object.is(bfloat16BitsToFloat(floatToBfloat16Bits(-0)), -0)).toBe(true);
  });
});
