/**
 * The store's schema history. Each entry moves the database from `version - 1` to `version`;
 * entries are never edited once released, only appended, because users' files were built from
 * them. `PRAGMA user_version` records how far a file has come.
 */
import type Database from 'better-sqlite3';
import { KvLensError } from '../../app/errors';

export interface Migration {
  version: number;
  /** What the step is for, shown in errors if it fails. */
  summary: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'documents, conversations, messages and settings',
    sql: `
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pdf', 'text', 'markdown')),
        source TEXT NOT NULL CHECK (source IN ('path', 'upload')),
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        pages INTEGER NOT NULL,
        chars INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        last_opened_at INTEGER NOT NULL
      );
      CREATE INDEX documents_sha256 ON documents (sha256);
      CREATE INDEX documents_recent ON documents (last_opened_at DESC);

      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        -- No foreign key: the bundled demo model is not a row, and deleting a model folder must
        -- not delete the user's conversations about a document.
        model_id TEXT NOT NULL,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX conversations_document ON conversations (document_id, updated_at DESC);
      CREATE INDEX conversations_recent ON conversations (updated_at DESC);

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        method TEXT,
        budget INTEGER,
        stats TEXT,
        status TEXT NOT NULL CHECK (status IN ('streaming', 'done', 'stopped', 'error')),
        error TEXT
      );
      CREATE INDEX messages_conversation ON messages (conversation_id, created_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    summary: 'models, document size and warnings, message update times',
    sql: `
      CREATE TABLE models (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dir TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        added_at INTEGER NOT NULL,
        calibration TEXT NOT NULL DEFAULT 'missing'
          CHECK (calibration IN ('calibrated', 'missing', 'running', 'failed')),
        calibration_note TEXT
      );
      -- At most one default model, enforced by the database rather than by care.
      CREATE UNIQUE INDEX models_one_default ON models (is_default) WHERE is_default = 1;

      ALTER TABLE documents ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE documents ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';

      ALTER TABLE messages ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
      UPDATE messages SET updated_at = created_at;
      -- Start-up recovery looks for answers a crash left streaming; keep that lookup cheap.
      CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * The file's schema version, after checking this app may write to it: a file from a newer app
 * or another program's database throws KvLensError('unsupported') saying what the user can do.
 * Reads only, so a refused file is left byte-for-byte as it was.
 */
export function readableVersion(
  db: Database.Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const start = db.pragma('user_version', { simple: true }) as number;
  if (start > latest) {
    throw new KvLensError(
      'unsupported',
      `${path} was written by a newer version of KV Lens (library schema ${start}; this version reads up to ${latest}). ` +
        `Install the newer KV Lens again, or quit and move the file elsewhere to start this version with an empty library.`,
      { path, version: start, latest },
    );
  }
  if (start === 0) refuseForeignDatabase(db, path);
  return start;
}

/**
 * Brings `db` to the latest schema, one transaction per step, and returns the version it
 * started at (see readableVersion for the files it refuses).
 */
export function migrate(
  db: Database.Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const start = readableVersion(db, path, migrations);
  for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
    if (step.version <= start) continue;
    // A failed step rolls back whole, so the file is always at some released version.
    try {
      db.transaction(() => {
        db.exec(step.sql);
        db.pragma(`user_version = ${step.version}`);
      })();
    } catch (err) {
      const reached = db.pragma('user_version', { simple: true }) as number;
      const code = (err as { code?: unknown }).code;
      // Keep SQLite's code so a damaged file is still recognised as damaged by the caller.
      throw Object.assign(
        new Error(
          `Upgrading ${path} to library schema ${step.version} (${step.summary}) failed: ${(err as Error).message}. The file was left unchanged at schema ${reached}.`,
          { cause: err },
        ),
        code === undefined ? {} : { code },
      );
    }
  }
  return start;
}

/** A version-0 file with tables in it is some other program's database: never write into it. */
function refuseForeignDatabase(db: Database.Database, path: string): void {
  const row = db
    .prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .get() as { n: number };
  if (row.n > 0) {
    throw new KvLensError(
      'unsupported',
      `${path} is an SQLite database, but not a KV Lens library (it has ${row.n} other tables and no KV Lens schema version). ` +
        `Move it elsewhere, or point KV Lens at another data folder (KV_LENS_DATA_DIR).`,
      { path },
    );
  }
}
