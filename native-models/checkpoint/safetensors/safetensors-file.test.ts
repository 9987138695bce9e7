import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KvLensError } from '../../../app/errors';
import { SafetensorsFile } from './safetensors-file';
import { writeSafetensors } from './safetensors-writer';
import type { SafetensorsDtype } from './safetensors-header';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-st-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const EDGE = new Float32Array([
  0,
  -0,
  1,
  -1,
  0.5,
  3.140625,
  65504,
  -65504,
  2 ** -24,
  2 ** -14,
  Infinity,
  -Infinity,
  NaN,
  1e-3,
]);

/** Writes a file from a raw header object and data bytes, for corrupt-file cases. */
function rawFile(name: string, header: unknown, data: Uint8Array, lengthOverride?: bigint): string {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const h = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(lengthOverride ?? BigInt(h.length));
  const p = path.join(tmp, name);
  fs.writeFileSync(p, Buffer.concat([len, h, data]));
  return p;
}

function expectInvalid(fn: () => unknown, ...parts: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(KvLensError);
  const err = caught as KvLensError;
  expect(err.code).toBe('invalid-checkpoint');
  for (const part of parts) expect(err.message).toContain(part);
}

describe('safetensors round trip', () => {
  it.each<SafetensorsDtype>(['F32', 'F16', 'BF16'])(
    '%s keeps shapes, metadata and values',
    (dtype) => {
      const p = path.join(tmp, `rt-${dtype}.safetensors`);
      const big = new Float32Array(3 * 5).map((_, i) => (i - 7) / 3);
      writeSafetensors(
        p,
        [
          { name: 'edge', shape: [EDGE.length], data: EDGE },
          { name: 'matrix', shape: [3, 5], data: () => big },
          { name: 'scalar', shape: [], data: new Float32Array([2.5]) },
          { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
        ],
        dtype,
        { format: 'pt', note: 'test' },
      );
      const f = SafetensorsFile.open(p);
      try {
        expect(f.names()).toEqual(['edge', 'empty', 'matrix', 'scalar']);
        expect(f.metadata).toEqual({ format: 'pt', note: 'test' });
        expect(f.info('matrix').shape).toEqual([3, 5]);
        expect(f.info('matrix').dtype).toBe(dtype);
        expect(f.info('scalar').shape).toEqual([]);
        expect([...f.readFloat32('scalar')]).toEqual([2.5]);
        expect(f.readFloat32('empty').length).toBe(0);
        const edge = f.readFloat32('edge');
        const exact = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        for (const i of exact) {
          // bf16 keeps 8 significant bits: 65504 (11 bits) rounds to 65536; the rest are exact.
          if (dtype === 'BF16' && Math.abs(EDGE[i]!) === 65504) {
            expect(edge[i]).toBe(Math.sign(EDGE[i]!) * 65536);
          } else expect(Object.is(edge[i], EDGE[i])).toBe(true);
        }
        expect(edge[12]).toBeNaN();
        const tol = dtype === 'F32' ? 0 : dtype === 'F16' ? 2 ** -11 : 2 ** -8;
        expect(Math.abs(edge[13]! - EDGE[13]!)).toBeLessThanOrEqual(EDGE[13]! * tol);
        const m = f.readFloat32('matrix');
        big.forEach((v, i) => expect(Math.abs(m[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * tol));
        // The data region starts 8-byte aligned.
        expect((8 + Number(fs.readFileSync(p).readBigUInt64LE(0))) % 8).toBe(0);
      } finally {
        f.dispose();
      }
    },
  );

  it('reads tensors larger than one read chunk', () => {
    const n = (1 << 22) + 1000;
    const data = new Float32Array(n).map((_, i) => ((i % 255) - 127) / 16);
    for (const dtype of ['F16', 'BF16'] as const) {
      const p = path.join(tmp, `big-${dtype}.safetensors`);
      writeSafetensors(p, [{ name: 'w', shape: [n], data }], dtype);
      const f = SafetensorsFile.open(p);
      const back = f.readFloat32('w');
      f.dispose();
      // Multiples of 1/16 below 8 have at most 8 significant bits: exact in both formats.
      expect(back.length).toBe(n);
      expect(back[n - 1]).toBe(data[n - 1]);
      expect(back[(1 << 22) + 3]).toBe(data[(1 << 22) + 3]);
      let diff = 0;
      for (let i = 0; i < n; i++) if (back[i] !== data[i]) diff++;
      expect(diff).toBe(0);
    }
  });

  it('throws a clear error after dispose and for unknown tensors', () => {
    const p = path.join(tmp, 'small.safetensors');
    writeSafetensors(p, [{ name: 'a', shape: [2], data: new Float32Array([1, 2]) }], 'F32');
    const f = SafetensorsFile.open(p);
    expectInvalid(() => f.info('b'), p, '"b"');
    f.dispose();
    expect(() => f.readFloat32('a')).toThrow(/disposed/);
  });
});

describe('corrupt safetensors files', () => {
  const good = { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } };

  it('rejects a file shorter than the length field', () => {
    const p = path.join(tmp, 'tiny.safetensors');
    fs.writeFileSync(p, Buffer.from([1, 2, 3]));
    expectInvalid(() => SafetensorsFile.open(p), p, 'truncated');
  });

  it('rejects a header length larger than the file', () => {
    const p = rawFile('hlen.safetensors', good, new Uint8Array(16), 1000n);
    expectInvalid(() => SafetensorsFile.open(p), p, 'header length 1000', 'larger than the file');
  });

  it('rejects a header that is not JSON', () => {
    const p = rawFile('json.safetensors', '{"w": {"dtype": "F32",', new Uint8Array(16));
    expectInvalid(() => SafetensorsFile.open(p), p, 'not valid JSON');
  });

  it('rejects a truncated data region', () => {
    const p = rawFile('short.safetensors', good, new Uint8Array(10));
    expectInvalid(() => SafetensorsFile.open(p), p, '"w"', 'truncated');
  });

  it('rejects data_offsets that do not match the shape', () => {
    const header = { w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 16] } };
    const p = rawFile('count.safetensors', header, new Uint8Array(16));
    expectInvalid(() => SafetensorsFile.open(p), p, '"w"', 'needs 24');
  });

  it('rejects overlapping tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
      b: { dtype: 'F16', shape: [4], data_offsets: [8, 16] },
    };
    const p = rawFile('overlap.safetensors', header, new Uint8Array(16));
    expectInvalid(() => SafetensorsFile.open(p), p, '"a"', '"b"', 'overlap');
  });

  it('rejects malformed offsets and shapes', () => {
    const reversed = { w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } };
    expectInvalid(
      () => SafetensorsFile.open(rawFile('rev.safetensors', reversed, new Uint8Array(8))),
      '"w"',
      'data_offsets',
    );
    const shape = { w: { dtype: 'F32', shape: [-1, 2], data_offsets: [0, 8] } };
    expectInvalid(
      () => SafetensorsFile.open(rawFile('shape.safetensors', shape, new Uint8Array(8))),
      '"w"',
      'shape',
    );
  });

  it('rejects unsupported dtypes and lists the supported ones', () => {
    const header = { ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } };
    const p = rawFile('dtype.safetensors', header, new Uint8Array(16));
    expectInvalid(() => SafetensorsFile.open(p), p, '"ids"', 'I64', 'F32, F16, BF16');
  });

  it('reports a missing file as not-found', () => {
    expect(() => SafetensorsFile.open(path.join(tmp, 'nope.safetensors'))).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
  });
});
