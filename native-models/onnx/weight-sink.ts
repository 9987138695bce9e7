/**
 * Where the graph builder puts weight tensors: one external data file, or inline in the model.
 *
 * The external file is written while the graph is built, tensor by tensor, so a 2 GB model never
 * sits in memory twice. Every tensor starts at a 64-byte boundary so ORT can map it aligned.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TensorDataTypeCode, TensorDef } from './proto/onnx-types';

export const EXTERNAL_DATA_ALIGNMENT = 64;

/** Receives weight bytes and returns the TensorProto that refers to them. */
export interface WeightSink {
  add(
    name: string,
    dataType: TensorDataTypeCode,
    dims: number[],
    bytes: Uint8Array,
  ): Promise<TensorDef>;
  close(): Promise<void>;
}

/** Keeps weights inside the model proto (tiny test and benchmark graphs only). */
export class InlineWeightSink implements WeightSink {
  add(
    name: string,
    dataType: TensorDataTypeCode,
    dims: number[],
    bytes: Uint8Array,
  ): Promise<TensorDef> {
    return Promise.resolve({ name, dataType, dims, raw: bytes.slice() });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Streams weights into one external data file (`model.onnx.data`), 64-byte aligned. */
export class ExternalWeightSink implements WeightSink {
  private offset = 0;
  private readonly location: string;

  private constructor(
    private file: FileHandle | null,
    path: string,
  ) {
    this.location = basename(path);
  }

  /** Creates (truncates) the data file; the location stored in tensors is its base name. */
  static async create(path: string): Promise<ExternalWeightSink> {
    return new ExternalWeightSink(await open(path, 'w'), path);
  }

  async add(
    name: string,
    dataType: TensorDataTypeCode,
    dims: number[],
    bytes: Uint8Array,
  ): Promise<TensorDef> {
    if (!this.file) throw new Error(`ExternalWeightSink: write of ${name} after close`);
    const offset = Math.ceil(this.offset / EXTERNAL_DATA_ALIGNMENT) * EXTERNAL_DATA_ALIGNMENT;
    // Large tensors exceed one write call's limit on some platforms; write in 256 MiB slices.
    const slice = 256 * 1024 * 1024;
    for (let pos = 0; pos < bytes.length; pos += slice) {
      const part = bytes.subarray(pos, Math.min(bytes.length, pos + slice));
      await this.file.write(part, 0, part.length, offset + pos);
    }
    this.offset = offset + bytes.length;
    return {
      name,
      dataType,
      dims,
      external: { location: this.location, offset, length: bytes.length },
    };
  }

  /** Total bytes written including alignment padding. */
  get size(): number {
    return this.offset;
  }

  async close(): Promise<void> {
    const f = this.file;
    this.file = null;
    if (f) await f.close();
  }
}
