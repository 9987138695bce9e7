/**
 * Messages of a conversation, oldest first, including answers still being streamed.
 */
import type { Statement } from 'better-sqlite3';
import type { ChatStats } from '../../../app/chat/chat-types';
import type { CompressionMethod } from '../../../app/chat/compression-methods';
import type { MessageRecord, NewMessage, StoredMessageStatus } from '../../../app/store/records';
import { newId, notFound, parseJson, withParent, type StoreContext } from './store-context';

interface MessageRow {
  id: string;
  conversation_id: string;
  role: MessageRecord['role'];
  content: string;
  created_at: number;
  updated_at: number;
  method: string | null;
  budget: number | null;
  stats: string | null;
  status: StoredMessageStatus;
  error: string | null;
}

/** How an answer ended: its final status, figures and (for 'error') the readable reason. */
export interface MessageOutcome {
  status: Exclude<StoredMessageStatus, 'streaming'>;
  stats?: ChatStats | null;
  error?: string | null;
  /** Text not yet written by appendText (the writer's last buffered piece). */
  tail?: string;
}

const COLUMNS =
  'id, conversation_id, role, content, created_at, updated_at, method, budget, stats, status, error';
const HINT = 'its conversation may have been deleted.';

export class MessageRepository {
  private appendStatement: Statement | null = null;

  constructor(private readonly ctx: StoreContext) {}

  /** Adds a message at the end of its conversation and marks the conversation active now. */
  add(input: NewMessage): MessageRecord {
    const now = this.ctx.now();
    const record: MessageRecord = {
      id: input.id ?? newId('msg'),
      conversationId: input.conversationId,
      role: input.role,
      text: input.text,
      createdAt: now,
      updatedAt: now,
      status: input.status,
      method: input.method ?? null,
      budget: input.budget ?? null,
      stats: input.stats ?? null,
      error: input.error ?? null,
    };
    const insert = this.ctx.db.transaction(() => {
      this.ctx.db
        .prepare(
          `INSERT INTO messages (${COLUMNS}) VALUES (@id, @conversationId, @role, @text, @createdAt, @updatedAt, @method, @budget, @stats, @status, @error)`,
        )
        .run({ ...record, stats: record.stats === null ? null : JSON.stringify(record.stats) });
      this.bumpConversation(record.conversationId, now);
    });
    withParent('conversation', record.conversationId, 'it may have been deleted.', insert);
    return record;
  }

  get(id: string): MessageRecord {
    const found = this.find(id);
    if (!found) throw notFound('message', id, HINT);
    return found;
  }

  find(id: string): MessageRecord | null {
    const row = this.ctx.db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id);
    return row ? fromRow(row as MessageRow) : null;
  }

  /** The conversation's messages in the order they were added. */
  list(conversationId: string): MessageRecord[] {
    const rows = this.ctx.db
      .prepare(
        `SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid`,
      )
      .all(conversationId);
    return (rows as MessageRow[]).map(fromRow);
  }

  /**
   * Appends streamed text to an answer still 'streaming'; false when the message is gone or
   * already final (a deleted conversation, a second writer), so a late token changes nothing.
   */
  appendText(id: string, text: string): boolean {
    // Concatenating in SQL spares passing the whole answer from JS on every flush (SQLite still
    // rewrites the row, cheap at answer sizes); the statement is prepared once since it runs often.
    this.appendStatement ??= this.ctx.db.prepare(
      "UPDATE messages SET content = content || ?, updated_at = ? WHERE id = ? AND status = 'streaming'",
    );
    return this.appendStatement.run(text, this.ctx.now(), id).changes > 0;
  }

  /**
   * Ends a streaming answer (or replaces the outcome of a final one, e.g. a late error) with its
   * status, figures and any unwritten tail, in one transaction; null when the message is gone.
   */
  finish(id: string, outcome: MessageOutcome): MessageRecord | null {
    const now = this.ctx.now();
    const stats = outcome.stats ?? null;
    return this.ctx.db.transaction(() => {
      const changes = this.ctx.db
        .prepare(
          'UPDATE messages SET content = content || ?, status = ?, stats = ?, error = ?, updated_at = ? WHERE id = ?',
        )
        .run(
          outcome.tail ?? '',
          outcome.status,
          stats === null ? null : JSON.stringify(stats),
          outcome.error ?? null,
          now,
          id,
        ).changes;
      if (changes === 0) return null;
      const record = this.get(id);
      this.bumpConversation(record.conversationId, now);
      return record;
    })();
  }

  /** Deletes one message (regenerate replaces the last answer). */
  delete(id: string): void {
    const changes = this.ctx.db.prepare('DELETE FROM messages WHERE id = ?').run(id).changes;
    if (changes === 0) throw notFound('message', id, HINT);
  }

  /**
   * Marks answers a crash left 'streaming' as 'stopped', keeping the text saved so far; returns
   * how many. Run once at open, before anything new can start streaming.
   */
  recoverInterrupted(): number {
    return this.ctx.db
      .prepare("UPDATE messages SET status = 'stopped' WHERE status = 'streaming'")
      .run().changes;
  }

  private bumpConversation(conversationId: string, now: number): void {
    this.ctx.db
      .prepare('UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?')
      .run(now, conversationId);
  }
}

function fromRow(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    text: row.content,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status,
    method: row.method as CompressionMethod | null,
    budget: row.budget,
    stats: parseJson<ChatStats | null>(row.stats, null),
    error: row.error,
  };
}
