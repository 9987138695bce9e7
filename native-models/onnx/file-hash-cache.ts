/**
 * The remembered content hashes of checkpoint files: one JSON object per cache folder, keyed by
 * absolute path, each entry valid only while the file keeps the size and mtime it was hashed at.
 *
 * The file is a cache: an unreadable or foreign one is ignored (everything is rehashed), and a
 * failed write only costs a rehash next time, so neither ever fails a model load.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface FileHashEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** Absolute path -> what it was hashed as. */
export type FileHashes = Record<string, FileHashEntry>;

const FORMAT = 1;

/** The remembered hashes in `cacheFile`, or none when it is missing or unreadable. */
export function readFileHashes(cacheFile: string): FileHashes {
  try {
    const json = JSON.parse(readFileSync(cacheFile, 'utf8')) as {
      format?: unknown;
      files?: unknown;
    };
    if (json.format !== FORMAT || typeof json.files !== 'object' || json.files === null) return {};
    const out: FileHashes = {};
    for (const [path, e] of Object.entries(json.files as Record<string, Partial<FileHashEntry>>)) {
      if (
        typeof e?.size === 'number' &&
        typeof e.mtimeMs === 'number' &&
        typeof e.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(e.sha256)
      ) {
        out[path] = { size: e.size, mtimeMs: e.mtimeMs, sha256: e.sha256 };
      }
    }
    return out;
  } catch {
    return {};
  }
}

/** Writes `hashes` atomically (temp file + rename) so a concurrent reader never sees half. */
export function writeFileHashes(cacheFile: string, hashes: FileHashes): void {
  const tmp = `${cacheFile}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, files: hashes })}\n`);
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only or full cache folder: the hashes are simply computed again next time.
  }
}
