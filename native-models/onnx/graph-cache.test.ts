import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
  writeFileSync,
  closeSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuildProgress, DATA_FILE } from './build-model-graph';
import { buildOrLoadGraph, defaultCacheDir } from './graph-cache';
import { stderrProgressPrinter } from './progress-printer';
import { emptyKv, runGraph } from './test-support/run-graph';
import { testCheckpoint } from './test-support/test-checkpoint';

const made = testCheckpoint('qwen2', {}, { shards: 2 });
const cacheDir = mkdtempSync(join(tmpdir(), 'kv-lens-cache-'));
afterAll(() => {
  made.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

function collect(): { events: BuildProgress[]; onProgress: (p: BuildProgress) => void } {
  const events: BuildProgress[] = [];
  return { events, onProgress: (p) => events.push(p) };
}

describe('buildOrLoadGraph', () => {
  it('builds on first use, then loads from the cache without rebuilding', async () => {
    const a = collect();
    const first = await buildOrLoadGraph(made.dir, { cacheDir, onProgress: a.onProgress });
    expect(first.built).toBe(true);
    expect(a.events.some((e) => e.phase === 'hash')).toBe(true);
    expect(a.events.filter((e) => e.phase === 'build').at(-1)?.message).toBe(
      'building graph: layer 2/2',
    );
    const mtime = statSync(first.onnxPath).mtimeMs;

    const b = collect();
    const second = await buildOrLoadGraph(made.dir, { cacheDir, onProgress: b.onProgress });
    expect(second).toEqual({ ...first, built: false });
    expect(b.events.some((e) => e.phase === 'build')).toBe(false);
    // The file hashes were remembered by (path, size, mtime): no checkpoint byte was read again.
    expect(b.events.some((e) => e.phase === 'hash')).toBe(false);
    expect(statSync(second.onnxPath).mtimeMs).toBe(mtime);
    // Only the finished entry is left: no temp folder.
    expect(readdirSync(dirname(first.onnxPath) + '/..')).toEqual([
      basename(dirname(first.onnxPath)),
    ]);

    const session = await ort.InferenceSession.create(second.onnxPath);
    const run = await runGraph(
      session,
      second.manifest.spec,
      [1, 2],
      [0, 1],
      emptyKv(second.manifest.spec),
    );
    expect(run.logits.every(Number.isFinite)).toBe(true);
    await session.release();
  });

  it('changes the key when one weight byte changes', async () => {
    const before = await buildOrLoadGraph(made.dir, { cacheDir, onProgress: () => {} });
    const shard = made.ckpt.files.find((f) => f.endsWith('.safetensors'))!;
    const fd = openSync(shard, 'r+');
    writeSync(fd, new Uint8Array([0x5a]), 0, 1, statSync(shard).size - 1);
    closeSync(fd);
    const after = await buildOrLoadGraph(made.dir, { cacheDir, onProgress: () => {} });
    expect(after.built).toBe(true);
    expect(after.manifest.checkpointHash).not.toBe(before.manifest.checkpointHash);
    expect(after.onnxPath).not.toBe(before.onnxPath);
  });

  it('rebuilds an entry with a missing file and clears builds abandoned by dead processes', async () => {
    const good = await buildOrLoadGraph(made.dir, { cacheDir, onProgress: () => {} });
    const entry = dirname(good.onnxPath);
    unlinkSync(join(entry, DATA_FILE));
    const abandoned = `${entry}.tmp-999999999-1`;
    mkdirSync(abandoned);
    const again = await buildOrLoadGraph(made.dir, { cacheDir, onProgress: () => {} });
    expect(again.built).toBe(true);
    expect(again.onnxPath).toBe(good.onnxPath);
    expect(existsSync(join(entry, DATA_FILE))).toBe(true);
    expect(existsSync(abandoned)).toBe(false);
  });

  it('says how to fix a cache folder that cannot be written', async () => {
    const file = join(cacheDir, 'a-file');
    writeFileSync(file, 'x');
    await expect(
      buildOrLoadGraph(made.dir, { cacheDir: file, onProgress: () => {} }),
    ).rejects.toThrow(/cannot be written.*KV_LENS_CACHE_DIR/);
  });

  it('names the folder when the model folder does not exist', async () => {
    await expect(buildOrLoadGraph(join(cacheDir, 'nope'), { cacheDir })).rejects.toThrow(/nope/);
  });
});

describe('defaultCacheDir', () => {
  it('uses KV_LENS_CACHE_DIR, else ~/.cache/kv-lens', () => {
    const saved = process.env.KV_LENS_CACHE_DIR;
    try {
      process.env.KV_LENS_CACHE_DIR = '/tmp/somewhere';
      expect(defaultCacheDir()).toBe('/tmp/somewhere');
      delete process.env.KV_LENS_CACHE_DIR;
      expect(defaultCacheDir()).toBe(join(homedir(), '.cache', 'kv-lens'));
    } finally {
      if (saved === undefined) delete process.env.KV_LENS_CACHE_DIR;
      else process.env.KV_LENS_CACHE_DIR = saved;
    }
  });
});

describe('stderrProgressPrinter', () => {
  it('prints layer lines and hashing in steps of 10%', () => {
    const lines: string[] = [];
    const print = stderrProgressPrinter((l) => lines.push(l));
    for (let done = 0; done <= 100; done += 5)
      print({ phase: 'hash', done, total: 100, message: '' });
    print({ phase: 'build', done: 3, total: 24, message: 'building graph: layer 3/24' });
    expect(lines.filter((l) => l.startsWith('hashing'))).toHaveLength(11);
    expect(lines.at(-1)).toBe('building graph: layer 3/24\n');
  });
});
