/**
 * What every repository shares: the open database, the clock and id making.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { KvLensError } from '../../../app/errors';

export interface StoreContext {
  db: Database.Database;
  /** Milliseconds since the epoch; injectable so ordering tests need no sleeping. */
  now: () => number;
}

/** A new id with a readable prefix (`doc-`, `conv-`, `msg-`), matching the app's ids. */
export function newId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Parses a JSON column, falling back when a row holds something unreadable. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    // A damaged cell must not make the whole list unreadable; the rest of the row still shows.
    return fallback;
  }
}

/** KvLensError('not-found') for a missing row, naming the kind and id. */
export function notFound(kind: string, id: string, hint: string): KvLensError {
  return new KvLensError('not-found', `No ${kind} "${id}" in the library: ${hint}`, { id });
}

/**
 * Runs an insert whose foreign key names a parent row; a missing parent becomes
 * KvLensError('not-found') instead of SQLite's bare constraint error.
 */
export function withParent<T>(kind: string, id: string, hint: string, insert: () => T): T {
  try {
    return insert();
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw notFound(kind, id, hint);
    }
    throw err;
  }
}
