/**
 * Opens the app's SQLite library: documents, conversations, messages, models and settings.
 *
 * Durability: the database runs in WAL mode with synchronous=NORMAL. A commit appends to the
 * write-ahead log before the call returns, so every committed transaction survives the app
 * crashing or being killed; with NORMAL the log is fsynced at checkpoints rather than at every
 * commit, so only a power loss or OS crash can roll back the last few commits, and even then
 * the file stays consistent (never half-written). FULL would close that window at the cost of
 * an fsync per streamed flush, which is the wrong trade for chat history.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KvLensError } from '../../app/errors';
import { AnswerWriter, type AnswerWriterOptions, type NewAnswer } from './answer-writer';
import { ConversationRepository } from './repositories/conversation-repository';
import { isCorruptionError, moveCorruptAside } from './corrupt-file';
import { DocumentRepository } from './repositories/document-repository';
import { MessageRepository } from './repositories/message-repository';
import { migrate, readableVersion } from './migrations';
import { ModelRepository } from './repositories/model-repository';
import { SettingsRepository } from './repositories/settings-repository';
import type { StoreContext } from './repositories/store-context';

export interface OpenStoreOptions {
  /** Clock for stored times (tests). */
  now?: () => number;
  /** How long a write waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
}

export interface Store {
  readonly path: string;
  readonly documents: DocumentRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly models: ModelRepository;
  readonly settings: SettingsRepository;
  /** Schema version the file had before this open (0 = new file). */
  readonly openedAtVersion: number;
  /** Set when the old file was damaged and moved aside: show its message to the user once. */
  readonly corruption: KvLensError | null;
  /** Answers a crash left streaming, now 'stopped' with their saved text. */
  readonly recoveredMessages: number;
  /** Starts saving a streamed answer (see AnswerWriter). */
  beginAnswer(answer: NewAnswer, options?: AnswerWriterOptions): AnswerWriter;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  dispose(): void;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating when missing) the library at `path`, or an in-memory one for ':memory:'.
 *
 * A damaged file is moved aside and a fresh library created (see `Store.corruption`); a file from
 * a newer KV Lens, or another program's database, throws KvLensError('unsupported') untouched.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    return openChecked(path, options, null);
  } catch (err) {
    if (path === ':memory:' || !isCorruptionError(err)) throw err;
    const notice = moveCorruptAside(path, (err as Error).message);
    return openChecked(path, options, notice);
  }
}

function openChecked(
  path: string,
  options: OpenStoreOptions,
  corruption: KvLensError | null,
): Store {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (err) {
    if (isCorruptionError(err)) throw err;
    throw new KvLensError(
      'invalid-argument',
      `Cannot open the library file ${path}: ${(err as Error).message}. Check that the folder exists and is writable.`,
      { path },
    );
  }
  try {
    // Reading the version touches the header, so a file that is not SQLite fails here; it comes
    // before journal_mode because switching to WAL rewrites the header of a file we may refuse.
    readableVersion(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // better-sqlite3 builds default this on; set anyway so the cascades never depend on a build.
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw Object.assign(new Error(`integrity check: ${String(check)}`), {
        code: 'SQLITE_CORRUPT',
      });
    }
    const openedAtVersion = migrate(db, path);
    return new SqliteStore(path, db, options.now ?? Date.now, openedAtVersion, corruption);
  } catch (err) {
    db.close();
    throw err;
  }
}

class SqliteStore implements Store {
  readonly documents: DocumentRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly models: ModelRepository;
  readonly settings: SettingsRepository;
  readonly recoveredMessages: number;
  private readonly ctx: StoreContext;
  private disposed = false;

  constructor(
    readonly path: string,
    private readonly db: Database.Database,
    now: () => number,
    readonly openedAtVersion: number,
    readonly corruption: KvLensError | null,
  ) {
    this.ctx = { db, now };
    this.documents = new DocumentRepository(this.ctx);
    this.messages = new MessageRepository(this.ctx);
    this.conversations = new ConversationRepository(this.ctx, this.messages);
    this.models = new ModelRepository(this.ctx);
    this.settings = new SettingsRepository(this.ctx);
    // Nothing streams yet in this process, so anything still 'streaming' was cut off by a crash.
    this.recoveredMessages = db.transaction(() => {
      this.models.recoverInterrupted();
      return this.messages.recoverInterrupted();
    })();
  }

  beginAnswer(answer: NewAnswer, options: AnswerWriterOptions = {}): AnswerWriter {
    return new AnswerWriter(this.messages, answer, { now: this.ctx.now, ...options });
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Closing the last connection checkpoints the WAL into the main file and removes it.
    this.db.close();
  }
}
