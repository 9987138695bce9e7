import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchCheckpoint } from './bench-checkpoint';

const TINY = { name: 'tiny', dims: {} };

describe('benchCheckpoint', () => {
  let cache: string;
  const saved = process.env.KV_LENS_CACHE_DIR;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'kvl-bench-ck-'));
    process.env.KV_LENS_CACHE_DIR = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.KV_LENS_CACHE_DIR;
    else process.env.KV_LENS_CACHE_DIR = saved;
    rmSync(cache, { recursive: true, force: true });
  });

  it('writes a complete folder once and leaves no temporary folder behind', () => {
    const logs: string[] = [];
    const dir = benchCheckpoint(TINY, (m) => logs.push(m));
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors']));
    expect(readdirSync(join(cache, 'bench-models'))).toEqual(['tiny']);
    benchCheckpoint(TINY, (m) => logs.push(m));
    expect(logs).toHaveLength(1);
  });

  it('replaces a folder left half-written by an older version (config.json without weights)', () => {
    const dir = join(cache, 'bench-models', 'tiny');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stale.txt'), 'x');
    benchCheckpoint(TINY, () => {});
    expect(existsSync(join(dir, 'config.json'))).toBe(true);
    expect(existsSync(join(dir, 'stale.txt'))).toBe(false);
  });
});
