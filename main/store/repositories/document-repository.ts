/**
 * Documents the user opened, most recently opened first.
 */
import type { DocumentRecord, NewDocument } from '../../../app/store/records';
import { newId, notFound, parseJson, type StoreContext } from './store-context';

interface DocumentRow {
  id: string;
  name: string;
  kind: DocumentRecord['kind'];
  source: DocumentRecord['source'];
  path: string;
  sha256: string;
  pages: number;
  chars: number;
  bytes: number;
  warnings: string;
  added_at: number;
  last_opened_at: number;
}

const COLUMNS =
  'id, name, kind, source, path, sha256, pages, chars, bytes, warnings, added_at, last_opened_at';
// rowid breaks ties between documents opened in the same millisecond: later insert first.
const RECENT_FIRST = 'ORDER BY last_opened_at DESC, rowid DESC';

export class DocumentRepository {
  constructor(private readonly ctx: StoreContext) {}

  /** Adds a document; `addedAt` and `lastOpenedAt` are now. */
  add(doc: NewDocument): DocumentRecord {
    const now = this.ctx.now();
    const record: DocumentRecord = {
      ...doc,
      id: doc.id ?? newId('doc'),
      warnings: [...doc.warnings],
      addedAt: now,
      lastOpenedAt: now,
    };
    this.ctx.db
      .prepare(
        `INSERT INTO documents (${COLUMNS}) VALUES (@id, @name, @kind, @source, @path, @sha256, @pages, @chars, @bytes, @warnings, @addedAt, @lastOpenedAt)`,
      )
      .run({ ...record, warnings: JSON.stringify(record.warnings) });
    return record;
  }

  /** The document; KvLensError('not-found') when it was deleted. */
  get(id: string): DocumentRecord {
    const found = this.find(id);
    if (!found) throw notFound('document', id, 'it was closed or deleted; open the file again.');
    return found;
  }

  find(id: string): DocumentRecord | null {
    const row = this.ctx.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE id = ?`).get(id);
    return row ? fromRow(row as DocumentRow) : null;
  }

  /** The most recently opened document with these bytes, so re-opening a file reuses its record. */
  findBySha256(sha256: string): DocumentRecord | null {
    const row = this.ctx.db
      .prepare(`SELECT ${COLUMNS} FROM documents WHERE sha256 = ? ${RECENT_FIRST} LIMIT 1`)
      .get(sha256);
    return row ? fromRow(row as DocumentRow) : null;
  }

  /** Every document, most recently opened first. */
  list(): DocumentRecord[] {
    const rows = this.ctx.db.prepare(`SELECT ${COLUMNS} FROM documents ${RECENT_FIRST}`).all();
    return (rows as DocumentRow[]).map(fromRow);
  }

  /** Changes the name shown for a document. */
  rename(id: string, name: string): DocumentRecord {
    this.mustChange(
      this.ctx.db.prepare('UPDATE documents SET name = ? WHERE id = ?').run(name, id).changes,
      id,
    );
    return this.get(id);
  }

  /** Marks the document as opened now (it moves to the top of the list). */
  touch(id: string): DocumentRecord {
    const changes = this.ctx.db
      .prepare('UPDATE documents SET last_opened_at = ? WHERE id = ?')
      .run(this.ctx.now(), id).changes;
    this.mustChange(changes, id);
    return this.get(id);
  }

  /** Deletes the document with its conversations and their messages (foreign-key cascade). */
  delete(id: string): void {
    this.mustChange(this.ctx.db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes, id);
  }

  /** How many documents use these bytes (a stored copy is removable at zero). */
  countBySha256(sha256: string): number {
    const row = this.ctx.db
      .prepare('SELECT count(*) AS n FROM documents WHERE sha256 = ?')
      .get(sha256) as { n: number };
    return row.n;
  }

  private mustChange(changes: number, id: string): void {
    if (changes === 0)
      throw notFound('document', id, 'it was closed or deleted; open the file again.');
  }
}

function fromRow(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    source: row.source,
    path: row.path,
    sha256: row.sha256,
    pages: row.pages,
    chars: row.chars,
    bytes: row.bytes,
    warnings: parseJson<string[]>(row.warnings, []),
    addedAt: row.added_at,
    lastOpenedAt: row.last_opened_at,
  };
}
