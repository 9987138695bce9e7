/**
 * Lazy reader for one .safetensors file: the header is parsed and validated on open, tensor
 * bytes are read with positioned reads only when asked for, so multi-GB shards never sit in
 * memory whole.
 *
 * Layout: u64 little-endian header length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`, then the data
 * region; offsets are relative to the start of the data region.
 */
import fs from 'node:fs';
import os from 'node:os';
import { KvLensError } from '../../../app/errors';
import { decodeBfloat16, decodeHalf } from './float-convert';
import { parseSafetensorsHeader, type TensorEntry } from './safetensors-header';

/** Values decoded per positioned read for 16-bit tensors (bounds the scratch buffer). */
const CHUNK_ELEMENTS = 1 << 22;
/** The format's own cap on header size; anything larger is corruption, not a model. */
const MAX_HEADER_BYTES = 100_000_000n;

export class SafetensorsFile {
  readonly path: string;
  readonly metadata: Record<string, string>;
  private fd: number | null;
  private readonly entries: Map<string, TensorEntry>;
  /** File offset of the data region (8 + header length). */
  private readonly dataStart: number;

  private constructor(
    path: string,
    fd: number,
    entries: Map<string, TensorEntry>,
    meta: Record<string, string>,
    dataStart: number,
  ) {
    this.path = path;
    this.fd = fd;
    this.entries = entries;
    this.metadata = meta;
    this.dataStart = dataStart;
  }

  /** Opens and validates a safetensors file; throws KvLensError('invalid-checkpoint') if bad. */
  static open(path: string): SafetensorsFile {
    if (os.endianness() !== 'LE') {
      throw new KvLensError('unsupported', 'Reading safetensors needs a little-endian machine.');
    }
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (err) {
      throw new KvLensError('not-found', `Cannot open ${path}: ${(err as Error).message}`);
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < 8) {
        throw new KvLensError(
          'invalid-checkpoint',
          `${path} is truncated: ${size} bytes, shorter than the 8-byte header length field.`,
        );
      }
      const lenBuf = Buffer.alloc(8);
      readFully(fd, lenBuf, 0, path);
      const headerLen = lenBuf.readBigUInt64LE(0);
      if (headerLen > BigInt(size - 8)) {
        throw new KvLensError(
          'invalid-checkpoint',
          `${path}: header length ${headerLen} bytes is larger than the file (${size} bytes); ` +
            'the file is truncated or not a safetensors file.',
        );
      }
      if (headerLen > MAX_HEADER_BYTES) {
        throw new KvLensError(
          'invalid-checkpoint',
          `${path}: header length ${headerLen} bytes exceeds the 100 MB safetensors limit; ` +
            'the file is corrupt.',
        );
      }
      const n = Number(headerLen);
      const headerBuf = Buffer.alloc(n);
      readFully(fd, headerBuf, 8, path);
      const header = parseSafetensorsHeader(headerBuf.toString('utf8'), size - 8 - n, path);
      return new SafetensorsFile(path, fd, header.entries, header.metadata, 8 + n);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Tensor names in the file, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** dtype, shape and byte range of one tensor. */
  info(name: string): TensorEntry {
    const e = this.entries.get(name);
    if (!e) throw new KvLensError('invalid-checkpoint', `${this.path} has no tensor "${name}".`);
    return e;
  }

  /** Reads one tensor as float32 (exact for F32, F16 and BF16). */
  readFloat32(name: string): Float32Array {
    const e = this.info(name);
    const fd = this.openFd();
    const count = e.numel;
    const out = new Float32Array(count);
    const start = this.dataStart + e.begin;
    if (e.dtype === 'F32') {
      // Little-endian host: the file bytes are the Float32Array's bytes, read in place.
      readFully(fd, new Uint8Array(out.buffer), start, this.path);
      return out;
    }
    const scratch = Buffer.alloc(Math.min(count, CHUNK_ELEMENTS) * 2);
    for (let done = 0; done < count; done += CHUNK_ELEMENTS) {
      const n = Math.min(CHUNK_ELEMENTS, count - done);
      const view = scratch.subarray(0, n * 2);
      readFully(fd, view, start + done * 2, this.path);
      if (e.dtype === 'F16') decodeHalf(view, out, done, n);
      else decodeBfloat16(view, out, done, n);
    }
    return out;
  }

  /** Closes the file descriptor; later reads throw. */
  dispose(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private openFd(): number {
    if (this.fd === null) throw new Error(`SafetensorsFile ${this.path} was disposed.`);
    return this.fd;
  }
}

/** Fills `target` from `position`, looping over short reads; a short file is a KvLensError. */
function readFully(fd: number, target: Uint8Array, position: number, path: string): void {
  let off = 0;
  while (off < target.length) {
    const len = Math.min(target.length - off, 1 << 30);
    const n = fs.readSync(fd, target, off, len, position + off);
    if (n === 0) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${path} is truncated: expected ${target.length} bytes at offset ${position}.`,
      );
    }
    off += n;
  }
}
