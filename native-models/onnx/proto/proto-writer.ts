/**
 * Protocol-buffers wire-format writer, just enough for ONNX model files.
 *
 * Messages are encoded bottom-up: a child message is finished into bytes first, then embedded in
 * its parent as a length-delimited field. ONNX model protos stay small because weights live in an
 * external data file, so building each message in memory is fine.
 */

/** Wire types of the protobuf encoding. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

const textEncoder = new TextEncoder();
const UINT64_MASK = (1n << 64n) - 1n;

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  /** Unsigned or signed integer as a varint; negatives use 10-byte two's complement (int64). */
  varint(value: number | bigint): this {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new Error(`varint: ${value} is not a safe integer`);
      if (value >= 0 && value < 2 ** 31) {
        let v = value;
        while (v >= 0x80) {
          this.byte((v & 0x7f) | 0x80);
          v >>>= 7;
        }
        return this.byte(v);
      }
    }
    let v = BigInt(value) & UINT64_MASK;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    return this.byte(Number(v));
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** int32/int64/enum/bool field (varint wire type). */
  intField(field: number, value: number | bigint): this {
    return this.tag(field, WireType.varint).varint(value);
  }

  /** float field (fixed32, little-endian IEEE 754). */
  floatField(field: number, value: number): this {
    this.tag(field, WireType.fixed32);
    this.reserve(4);
    new DataView(this.buf.buffer, this.len, 4).setFloat32(0, value, true);
    this.len += 4;
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WireType.lengthDelimited).varint(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, textEncoder.encode(value));
  }

  /** Embedded message: `encode` writes the child's fields into a fresh writer. */
  messageField(field: number, encode: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    encode(child);
    return this.bytesField(field, child.finish());
  }

  /** The encoded bytes (a copy sized to the content). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private byte(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
