/**
 * A KV cache written to one file and read back, so a document's prefix cache can leave memory
 * between questions (a long document's cache is hundreds of MB on a real model).
 *
 * Layout: uint32 LE header length, UTF-8 JSON header, then per layer: positions int32[P], K
 * float32[G*P*d], V float32[G*P*d], little-endian (typed arrays are written as they lie in
 * memory; every platform the app ships on is little-endian). Only caches whose KV heads share
 * one position list (a prefilled, uncompressed cache) are spilled.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';
import { KvCache } from '../kv/kv-cache';

interface SpillHeader {
  format: 'kv-lens-kv';
  version: 1;
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  nextPosition: number;
  lengths: number[];
}

/** Writes `cache` to `file` (created or replaced). */
export function writeKvFile(cache: KvCache, file: string): void {
  const L = cache.numLayers;
  const positions = Array.from({ length: L }, (_, l) => {
    const p = cache.positions(l);
    if (p.kind !== 'shared') throw new Error(`writeKvFile: layer ${l} has per-KV-head positions`);
    return p.positions;
  });
  const header: SpillHeader = {
    format: 'kv-lens-kv',
    version: 1,
    numLayers: L,
    numKvHeads: cache.numKvHeads,
    headDim: cache.headDim,
    nextPosition: cache.nextPosition,
    lengths: cache.lengths(),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(json.length);
  const fd = openSync(file, 'w');
  try {
    const put = (a: ArrayBufferView) => {
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    };
    put(size);
    put(json);
    for (let l = 0; l < L; l++) {
      put(positions[l]!);
      put(cache.keyData(l));
      put(cache.valueData(l));
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a cache written by writeKvFile, with `reserve` spare slots per layer. */
export function readKvFile(file: string, reserve = 0): KvCache {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new KvLensError(
      'not-found',
      `The spilled KV cache ${file} is gone; open the document again.`,
    );
  }
  let offset = 0;
  const take = (a: ArrayBufferView) => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, offset + done);
      if (n === 0) throw new KvLensError('corrupt', `The spilled KV cache ${file} is truncated.`);
      done += n;
    }
    offset += bytes.length;
  };
  try {
    const size = Buffer.alloc(4);
    take(size);
    const json = Buffer.alloc(size.readUInt32LE());
    take(json);
    let h: SpillHeader | undefined;
    try {
      h = JSON.parse(json.toString('utf8')) as SpillHeader;
    } catch {
      h = undefined;
    }
    if (h?.format !== 'kv-lens-kv' || h.version !== 1) {
      throw new KvLensError('corrupt', `${file} is not a KV Lens cache file (version 1).`);
    }
    const cache = KvCache.empty(h, h.nextPosition);
    const longest = Math.max(0, ...h.lengths);
    cache.reserve(longest + reserve);
    h.lengths.forEach((P, l) => {
      const positions = new Int32Array(P);
      const key = new Float32Array(h.numKvHeads * P * h.headDim);
      const value = new Float32Array(key.length);
      take(positions);
      take(key);
      take(value);
      cache.appendLayer(l, key, value, positions);
    });
    cache.nextPosition = h.nextPosition;
    return cache;
  } finally {
    closeSync(fd);
  }
}
