import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildProgress } from './build-model-graph';
import { hashCheckpointFiles } from './hash-checkpoint';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const a = join(dir, 'a.safetensors');
const b = join(dir, 'b.safetensors');
const cacheFile = join(dir, 'cache', 'file-hashes.json');

/** Hashes with the remembered-hash file; returns the key and the bytes actually read. */
async function hash(files = [a, b]): Promise<{ key: string; read: number }> {
  const events: BuildProgress[] = [];
  const key = await hashCheckpointFiles(files, (p) => events.push(p), { cacheFile });
  return { key, read: events.at(-1)?.done ?? 0 };
}

describe('hashCheckpointFiles', () => {
  it('remembers file hashes by path, size and mtime and rehashes only changed files', async () => {
    writeFileSync(a, 'weights of shard a');
    writeFileSync(b, 'weights of shard b!');
    const first = await hash();
    expect(first.read).toBe(18 + 19);
    const again = await hash();
    expect(again).toEqual({ key: first.key, read: 0 });
    expect(await hashCheckpointFiles([a, b])).toBe(first.key); // same key without the cache

    // Same size, new content, new mtime: only that file is read, and the key changes.
    writeFileSync(b, 'weights of shard B!');
    utimesSync(b, new Date(), new Date(statSync(b).mtimeMs + 5000));
    const edited = await hash();
    expect(edited.read).toBe(19);
    expect(edited.key).not.toBe(first.key);

    // A touched but unchanged file is rehashed and gives the same key.
    utimesSync(a, new Date(), new Date(statSync(a).mtimeMs + 5000));
    expect(await hash()).toEqual({ key: edited.key, read: 18 });
  });

  it('keys on file names and order, and survives a corrupt cache file', async () => {
    writeFileSync(a, 'x');
    writeFileSync(b, 'x');
    const ab = await hash([a, b]);
    const ba = await hash([b, a]);
    expect(ab.key).not.toBe(ba.key);
    writeFileSync(cacheFile, '{ not json');
    expect((await hash([a, b])).key).toBe(ab.key);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).format).toBe(1);
  });
});
