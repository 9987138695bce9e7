import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './proto-writer';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ProtoWriter', () => {
  it('encodes varints as in the protobuf encoding guide', () => {
    expect(hex(new ProtoWriter().varint(1).finish())).toBe('01');
    expect(hex(new ProtoWriter().varint(127).finish())).toBe('7f');
    expect(hex(new ProtoWriter().varint(128).finish())).toBe('8001');
    expect(hex(new ProtoWriter().varint(300).finish())).toBe('ac02');
    expect(hex(new ProtoWriter().varint(2 ** 35).finish())).toBe('808080808001');
    expect(hex(new ProtoWriter().varint(2 ** 31).finish())).toBe('8080808008');
  });

  it('writes negative int64 as ten-byte two complement varints', () => {
    expect(hex(new ProtoWriter().varint(-1).finish())).toBe('ffffffffffffffffff01');
    expect(hex(new ProtoWriter().varint(-2n).finish())).toBe('feffffffffffffffff01');
  });

  it('rejects numbers that lost integer precision', () => {
    expect(() => new ProtoWriter().varint(2 ** 60)).toThrow(/safe integer/);
    expect(() => new ProtoWriter().varint(1.5)).toThrow(/safe integer/);
  });

  it('encodes tagged scalar, string and float fields', () => {
    // The guide's examples: field 1 = 150 and field 2 = "testing".
    expect(hex(new ProtoWriter().intField(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().stringField(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().floatField(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoWriter().intField(20, 7).finish())).toBe('a00107');
  });

  it('length-prefixes embedded messages, including ones longer than 127 bytes', () => {
    expect(hex(new ProtoWriter().messageField(3, (w) => w.intField(1, 150)).finish())).toBe(
      '1a03089601',
    );
    const long = new ProtoWriter()
      .messageField(1, (w) => w.bytesField(2, new Uint8Array(200)))
      .finish();
    // outer: tag 0a, length 203 = cb 01; inner: tag 12, length 200 = c8 01, then 200 zero bytes.
    expect(hex(long.subarray(0, 6))).toBe('0acb0112c801');
    expect(long.length).toBe(3 + 3 + 200);
  });

  it('grows its buffer past the initial size without losing bytes', () => {
    const w = new ProtoWriter();
    const payload = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    w.bytesField(1, payload).intField(2, 1);
    const out = w.finish();
    expect(out.length).toBe(1 + 2 + 5000 + 2);
    expect(Array.from(out.subarray(3, 5003))).toEqual(Array.from(payload));
    expect(hex(out.subarray(5003))).toBe('1001');
  });
});
