import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TensorDataType } from './proto/onnx-types';
import { EXTERNAL_DATA_ALIGNMENT, ExternalWeightSink } from './weight-sink';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ExternalWeightSink', () => {
  it('writes each tensor at a 64-byte boundary and records where', async () => {
    const path = join(dir, 'model.onnx.data');
    const sink = await ExternalWeightSink.create(path);
    const a = new Uint8Array([1, 2, 3]);
    const b = Uint8Array.from({ length: 70 }, (_, i) => i);
    const c = new Uint8Array([9]);
    const ta = await sink.add('a', TensorDataType.uint8, [3], a);
    const tb = await sink.add('b', TensorDataType.uint8, [70], b);
    const tc = await sink.add('c', TensorDataType.uint8, [1], c);
    await sink.close();
    expect([ta, tb, tc].map((t) => t.external)).toEqual([
      { location: 'model.onnx.data', offset: 0, length: 3 },
      { location: 'model.onnx.data', offset: 64, length: 70 },
      { location: 'model.onnx.data', offset: 192, length: 1 },
    ]);
    for (const t of [ta, tb, tc]) expect(t.external!.offset % EXTERNAL_DATA_ALIGNMENT).toBe(0);
    const file = readFileSync(path);
    expect(file.length).toBe(193);
    expect(Array.from(file.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(Array.from(file.subarray(64, 134))).toEqual(Array.from(b));
    expect(file[192]).toBe(9);
  });

  it('refuses writes after close', async () => {
    const sink = await ExternalWeightSink.create(join(dir, 'closed.data'));
    await sink.close();
    await expect(sink.add('x', TensorDataType.float, [1], new Uint8Array(4))).rejects.toThrow(
      /after close/,
    );
  });
});
