/**
 * sha256 over the contents of a checkpoint's files, streamed, for the graph cache key.
 *
 * Each file is hashed on its own; the key is the sha256 of every file's base name, byte length
 * and content hash, so moving bytes from one file to another, or renaming a shard, changes it.
 * Per-file hashes can be remembered in a small JSON file keyed by (absolute path, size, mtimeMs):
 * loading a multi-GB checkpoint again then reads no weight bytes at all.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ProgressCallback } from './build-model-graph';
import { readFileHashes, writeFileHashes, type FileHashes } from './file-hash-cache';

export interface HashOptions {
  /** JSON file remembering per-file hashes (e.g. <cache>/file-hashes.json); none by default. */
  cacheFile?: string;
}

/** Hex sha256 of `files` (in the given order); reports bytes hashed through `onProgress`. */
export async function hashCheckpointFiles(
  files: readonly string[],
  onProgress?: ProgressCallback,
  options: HashOptions = {},
): Promise<string> {
  const paths = files.map((f) => resolve(f));
  const stats = await Promise.all(paths.map((f) => stat(f)));
  const known: FileHashes = options.cacheFile ? readFileHashes(options.cacheFile) : {};
  const fresh = (i: number) => {
    const k = known[paths[i]!];
    return k && k.size === stats[i]!.size && k.mtimeMs === stats[i]!.mtimeMs ? k.sha256 : null;
  };
  const total = stats.reduce((a, s, i) => a + (fresh(i) ? 0 : s.size), 0);
  let done = 0;
  let changed = false;
  const key = createHash('sha256');
  for (const [i, file] of paths.entries()) {
    const { size, mtimeMs } = stats[i]!;
    let sha256 = fresh(i);
    if (!sha256) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
        hash.update(chunk as Buffer);
        done += (chunk as Buffer).length;
        onProgress?.({
          phase: 'hash',
          done,
          total,
          message: `hashing checkpoint: ${basename(file)}`,
        });
      }
      sha256 = hash.digest('hex');
      known[file] = { size, mtimeMs, sha256 };
      changed = true;
    }
    key.update(`${basename(file)}\0${size}\0${sha256}\0`);
  }
  if (changed && options.cacheFile) writeFileHashes(options.cacheFile, known);
  return key.digest('hex');
}
