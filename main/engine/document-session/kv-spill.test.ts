import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KvCache } from '../kv/kv-cache';
import { readKvFile, writeKvFile } from './kv-spill';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dims = { numLayers: 3, numKvHeads: 2, headDim: 4 };

/** A cache with different lengths per layer and position ids that are not 0..P-1. */
function sampleCache(): KvCache {
  const cache = KvCache.empty(dims, 40);
  [5, 0, 7].forEach((P, l) => {
    if (P === 0) return;
    const n = dims.numKvHeads * P * dims.headDim;
    const key = Float32Array.from({ length: n }, (_, i) => Math.sin(i + 10 * l));
    const value = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 3 + l));
    cache.appendLayer(
      l,
      key,
      value,
      Array.from({ length: P }, (_, i) => 3 * i + l),
    );
  });
  cache.nextPosition = 41;
  return cache;
}

describe('KV cache spill files', () => {
  it('round-trips K, V, positions, lengths and the next position', () => {
    const cache = sampleCache();
    const file = join(dir, 'a.kv');
    writeKvFile(cache, file);
    const back = readKvFile(file, 3);
    expect(back.lengths()).toEqual([5, 0, 7]);
    expect(back.nextPosition).toBe(41);
    for (let l = 0; l < 3; l++) {
      expect(back.keyData(l)).toEqual(cache.keyData(l));
      expect(back.valueData(l)).toEqual(cache.valueData(l));
      expect(back.positions(l)).toEqual(cache.positions(l));
      expect(back.capacity(l)).toBeGreaterThanOrEqual(back.length(l) + 3);
    }
    back.dispose();
    cache.dispose();
  });

  it('refuses per-KV-head caches, missing and foreign files', () => {
    const cache = sampleCache();
    const perHead = cache.gather([
      {
        kind: 'per-kv-head',
        kvHeads: [
          [0, 3],
          [6, 9],
        ],
      },
      { kind: 'shared', kept: [] },
      { kind: 'shared', kept: [2] },
    ]);
    expect(() => writeKvFile(perHead, join(dir, 'b.kv'))).toThrow(/per-KV-head/);
    expect(() => readKvFile(join(dir, 'missing.kv'))).toThrow(/is gone/);
    const foreign = join(dir, 'foreign.kv');
    writeFileSync(foreign, Buffer.from([4, 0, 0, 0, 123, 125, 32, 32]));
    expect(() => readKvFile(foreign)).toThrow(/not a KV Lens cache/);
    const truncated = join(dir, 'd.kv');
    writeFileSync(truncated, Buffer.from([200, 0, 0, 0, 1, 2]));
    expect(() => readKvFile(truncated)).toThrow(/truncated/);
  });
});
