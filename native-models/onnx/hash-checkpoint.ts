/**
 * sha256 over the contents of a checkpoint's files, streamed, for the graph cache key.
 *
 * Each file contributes its base name and byte length before its bytes, so moving bytes from one
 * file to another, or renaming a shard, changes the key.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ProgressCallback } from './build-model-graph';

/** Hex sha256 of `files` (in the given order); reports bytes hashed through `onProgress`. */
export async function hashCheckpointFiles(
  files: readonly string[],
  onProgress?: ProgressCallback,
): Promise<string> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const hash = createHash('sha256');
  let done = 0;
  for (const [i, file] of files.entries()) {
    hash.update(`${basename(file)}\0${sizes[i]}\0`);
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
  }
  return hash.digest('hex');
}
