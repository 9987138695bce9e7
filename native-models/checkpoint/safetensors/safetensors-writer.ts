/**
 * Writes a .safetensors file tensor by tensor, so a checkpoint larger than memory can be written
 * while holding one tensor at a time: pass `data` as a function and it is called just before
 * that tensor's bytes are written.
 */
import fs from 'node:fs';
import { DTYPE_BYTES, type SafetensorsDtype } from './safetensors-header';
import { encode16, floatToBfloat16Bits, floatToHalfBits } from './float-convert';

export interface TensorToWrite {
  name: string;
  shape: number[];
  /** float32 values (converted to the file dtype), or a function producing them on demand. */
  data: Float32Array | (() => Float32Array);
}

/** Values converted per write for 16-bit output (bounds the scratch buffer). */
const CHUNK_ELEMENTS = 1 << 22;

/** Bytes of tensor data (header excluded) that `tensors` take at `dtype`; used to balance shards. */
export function safetensorsDataBytes(
  tensors: readonly { shape: number[] }[],
  dtype: SafetensorsDtype,
): number {
  return tensors.reduce((sum, t) => sum + numelOf(t.shape) * DTYPE_BYTES[dtype], 0);
}

/** Writes `tensors` (in order) to `path` at `dtype`, rounding to nearest even for 16-bit. */
export function writeSafetensors(
  path: string,
  tensors: readonly TensorToWrite[],
  dtype: SafetensorsDtype,
  metadata: Record<string, string> = { format: 'pt' },
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = numelOf(t.shape) * DTYPE_BYTES[dtype];
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data region starts 8-byte aligned, as the reference writer does.
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - ((8 + jsonBytes) % 8)) % 8);
  const headerBuf = Buffer.from(json, 'utf8');
  const lenBuf = Buffer.alloc(8);
  lenBuf.writeBigUInt64LE(BigInt(headerBuf.length));

  const fd = fs.openSync(path, 'w');
  try {
    writeAll(fd, lenBuf);
    writeAll(fd, headerBuf);
    for (const t of tensors) {
      const values = typeof t.data === 'function' ? t.data() : t.data;
      if (values.length !== numelOf(t.shape)) {
        throw new Error(
          `Tensor ${t.name}: ${values.length} values for shape [${t.shape.join(', ')}].`,
        );
      }
      writeValues(fd, values, dtype);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function writeValues(fd: number, values: Float32Array, dtype: SafetensorsDtype): void {
  if (dtype === 'F32') {
    writeAll(fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return;
  }
  const toBits = dtype === 'F16' ? floatToHalfBits : floatToBfloat16Bits;
  const scratch = new Uint8Array(Math.min(values.length, CHUNK_ELEMENTS) * 2);
  for (let done = 0; done < values.length; done += CHUNK_ELEMENTS) {
    const n = Math.min(CHUNK_ELEMENTS, values.length - done);
    encode16(values, done, n, scratch, toBits);
    writeAll(fd, scratch.subarray(0, n * 2));
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    off += fs.writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30));
  }
}

function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
