/**
 * Telling a damaged library file apart from other failures, and moving it aside intact.
 *
 * The damaged file is renamed, never deleted: it may still hold conversations that a recovery
 * tool (`sqlite3 file .recover`) can get back.
 */
import { existsSync, renameSync } from 'node:fs';
import { KvLensError } from '../../app/errors';

// SQLite's result codes for "this is not a database" and "the database is damaged".
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Whether a thrown value is SQLite saying the file is not a database or is damaged. */
export function isCorruptionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && [...CORRUPT_CODES].some((c) => code.startsWith(c));
}

/**
 * Renames `path` (and its -wal / -shm companions) to `<path>.corrupt-<timestamp>` and returns
 * the KvLensError('corrupt') that tells the user what happened and where the old file is.
 */
export function moveCorruptAside(
  path: string,
  reason: string,
  now: Date = new Date(),
): KvLensError {
  // Colons are not allowed in Windows file names, so the ISO time loses them.
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  renameSync(path, target);
  for (const suffix of ['-wal', '-shm']) {
    // The WAL may hold the newest committed pages; keep it next to the file it belongs to.
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return new KvLensError(
    'corrupt',
    `The library file ${path} is damaged (${reason}). It was moved aside to ${target} and a new, ` +
      `empty library was created; your documents' own files are untouched. To try to get old ` +
      `conversations back, run "sqlite3 '${target}' .recover" or keep the file for support.`,
    { path, movedTo: target, reason },
  );
}
