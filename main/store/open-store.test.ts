import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KvLensError } from '../../app/errors';
import { openStore } from './open-store';
import { LATEST_VERSION, migrate, type Migration } from './migrations';
import { useTempDirs } from './testing/temp-dirs';

const tempDir = useTempDirs();

// The version-1 schema exactly as the first release wrote it, typed out here by hand so the test
// does not depend on the migration list it is checking.
const V1_SCHEMA = `
  CREATE TABLE documents (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
    path TEXT NOT NULL, sha256 TEXT NOT NULL, pages INTEGER NOT NULL, chars INTEGER NOT NULL,
    added_at INTEGER NOT NULL, last_opened_at INTEGER NOT NULL);
  CREATE TABLE conversations (id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE, model_id TEXT NOT NULL,
    title TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE messages (id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL, method TEXT,
    budget INTEGER, stats TEXT, status TEXT NOT NULL, error TEXT);
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO documents VALUES ('doc-1', 'report.pdf', 'pdf', 'path', '/home/u/report.pdf',
    '${'a'.repeat(64)}', 12, 34000, 1000, 2000);
  INSERT INTO conversations VALUES ('conv-1', 'doc-1', 'demo', 'What is it about?', 1100, 1300);
  INSERT INTO messages VALUES ('m-1', 'conv-1', 'user', 'What is it about?', 1100, NULL, NULL, NULL, 'done', NULL);
  INSERT INTO messages VALUES ('m-2', 'conv-1', 'assistant', 'It is about KV caches', 1200, 'snapkv', 128,
    NULL, 'streaming', NULL);
  INSERT INTO settings VALUES ('defaultBudget', '512');
  PRAGMA user_version = 1;
`;

describe('openStore', () => {
  it('creates a new library in WAL mode with foreign keys and synchronous=NORMAL', () => {
    const path = join(tempDir(), 'nested', 'kv-lens.sqlite');
    const store = openStore(path);
    expect(store.openedAtVersion).toBe(0);
    store.dispose();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
    const again = openStore(path);
    expect(again.openedAtVersion).toBe(LATEST_VERSION);
    again.dispose();
  });

  it('sets the connection pragmas on every open', () => {
    const store = openStore(join(tempDir(), 'a.sqlite'));
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    store.dispose();
    store.dispose(); // idempotent
  });

  it('works in memory', () => {
    const store = openStore(':memory:');
    expect(store.settings.get().defaultBudget).toBe(256);
    store.dispose();
  });

  it('upgrades a version-1 library to the latest schema keeping every row', () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = new Database(path);
    old.exec(V1_SCHEMA);
    old.close();

    const store = openStore(path);
    expect(store.openedAtVersion).toBe(1);
    const doc = store.documents.get('doc-1');
    expect(doc).toMatchObject({
      name: 'report.pdf',
      pages: 12,
      chars: 34000,
      bytes: 0,
      warnings: [],
    });
    const conv = store.conversations.getWithMessages('conv-1');
    expect(conv.messageCount).toBe(2);
    expect(conv.messages.map((m) => [m.id, m.text, m.updatedAt])).toEqual([
      ['m-1', 'What is it about?', 1100],
      ['m-2', 'It is about KV caches', 1200],
    ]);
    // The v1 answer was cut off by a crash: recovered as stopped, its text kept.
    expect(conv.messages[1]?.status).toBe('stopped');
    expect(store.recoveredMessages).toBe(1);
    expect(store.settings.get().defaultBudget).toBe(512);
    // Tables the later versions added work.
    store.models.upsert({ id: 'demo', name: 'Demo', dir: '/m', isDefault: true });
    expect(store.models.list()).toHaveLength(1);
    store.dispose();
  });

  it('rolls back a failing migration step whole and names it', () => {
    const db = new Database(':memory:');
    const steps: Migration[] = [
      { version: 1, summary: 'first', sql: 'CREATE TABLE a (x)' },
      { version: 2, summary: 'broken', sql: 'CREATE TABLE b (x); CREATE TABLE a (y)' },
    ];
    expect(() => migrate(db, 'lib.sqlite', steps)).toThrow(
      /schema 2 \(broken\).*left unchanged at schema 1/,
    );
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    expect(tables).toEqual([{ name: 'a' }]);
    db.close();
  });

  it('refuses a library from a newer version and leaves it untouched', () => {
    const path = join(tempDir(), 'new.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE future (x); PRAGMA user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const before = readFileSync(path);
    let caught: unknown;
    try {
      openStore(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KvLensError);
    expect((caught as KvLensError).code).toBe('unsupported');
    expect((caught as KvLensError).message).toContain(path);
    expect((caught as KvLensError).message).toContain(`schema ${LATEST_VERSION + 1}`);
    expect((caught as KvLensError).message).toMatch(/newer version of KV Lens/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses another program's database", () => {
    const path = join(tempDir(), 'other.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE invoices (id INTEGER)');
    db.close();
    expect(() => openStore(path)).toThrow(/not a KV Lens library/);
  });

  it('moves a file that is not SQLite aside and starts a fresh library', () => {
    const dir = tempDir();
    const path = join(dir, 'kv-lens.sqlite');
    const garbage = Buffer.from('%PDF-1.7 definitely not a database '.repeat(300));
    writeFileSync(path, garbage);
    const store = openStore(path);
    expect(store.corruption?.code).toBe('corrupt');
    const movedTo = store.corruption?.details?.movedTo as string;
    expect(store.corruption?.message).toContain(path);
    expect(store.corruption?.message).toContain(movedTo);
    expect(movedTo).toMatch(/kv-lens\.sqlite\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(readFileSync(movedTo).equals(garbage)).toBe(true);
    expect(store.documents.list()).toEqual([]);
    store.dispose();
    const reopened = openStore(path);
    expect(reopened.corruption).toBeNull();
    reopened.dispose();
  });

  it('moves a damaged library aside, keeping the damaged copy', () => {
    const dir = tempDir();
    const path = join(dir, 'kv-lens.sqlite');
    const store = openStore(path);
    const doc = store.documents.add(sampleDoc());
    const conv = store.conversations.add({ documentId: doc.id, modelId: 'demo', title: 't' });
    for (let i = 0; i < 400; i++) {
      store.messages.add({
        conversationId: conv.id,
        role: 'user',
        text: `q${i} ${'x'.repeat(80)}`,
        status: 'done',
      });
    }
    store.dispose();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(4096 * 6);
    for (let i = 4096 * 3; i < 4096 * 5; i++) bytes[i] = (i * 7919) & 255;
    writeFileSync(path, bytes);

    const fresh = openStore(path);
    expect(fresh.corruption?.code).toBe('corrupt');
    expect(fresh.documents.list()).toEqual([]);
    fresh.dispose();
    const names = readdirSync(dir);
    expect(names.some((n) => /^kv-lens\.sqlite\.corrupt-/.test(n))).toBe(true);
    expect(existsSync(path)).toBe(true);
  });
});

function sampleDoc() {
  return {
    name: 'a.pdf',
    kind: 'pdf' as const,
    source: 'path' as const,
    path: '/tmp/a.pdf',
    sha256: 'b'.repeat(64),
    pages: 1,
    chars: 10,
    bytes: 100,
    warnings: [],
  };
}
