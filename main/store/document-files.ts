/**
 * Uploaded documents' bytes, kept under `<dataDir>/documents/<sha256>.<ext>` so a document
 * uploaded in browser mode is still there after a restart. Content addressing makes a second
 * upload of the same file free and lets several document rows share one copy.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { extname, join } from 'node:path';
import { KvLensError } from '../../app/errors';

export interface StoredFile {
  sha256: string;
  path: string;
  bytes: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class DocumentFiles {
  /** The folder holding the copies. */
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'documents');
  }

  /**
   * Stores `bytes` (the extension comes from `name`) and returns where. Written to a temporary
   * file, flushed to disk and renamed, so the final name only ever holds complete content.
   */
  put(bytes: Uint8Array, name: string): StoredFile {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256, name);
    if (existsSync(path)) return { sha256, path, bytes: bytes.length };
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      // Without the fsync a power loss could leave the renamed file empty on some filesystems.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    return { sha256, path, bytes: bytes.length };
  }

  /** Where the copy with this hash and name's extension lives (whether or not it exists). */
  pathOf(sha256: string, name: string): string {
    if (!SHA256.test(sha256)) throw new Error(`Not a lowercase hex SHA-256: ${sha256}`);
    return join(this.dir, `${sha256}.${safeExtension(name)}`);
  }

  has(sha256: string, name: string): boolean {
    return existsSync(this.pathOf(sha256, name));
  }

  /** The stored bytes; KvLensError('not-found') when the copy is gone. */
  read(sha256: string, name: string): Uint8Array {
    const path = this.pathOf(sha256, name);
    try {
      return readFileSync(path);
    } catch {
      throw new KvLensError(
        'not-found',
        `The stored copy of "${name}" (${path}) is missing; upload the document again.`,
        { path },
      );
    }
  }

  /** Removes a copy no document uses any more (callers check that first). */
  remove(sha256: string, name: string): void {
    rmSync(this.pathOf(sha256, name), { force: true });
  }
}

/** The lower-case extension of `name` if it is short and plain, else 'bin' (never a path part). */
export function safeExtension(name: string): string {
  const ext = extname(name).slice(1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) ? ext : 'bin';
}
