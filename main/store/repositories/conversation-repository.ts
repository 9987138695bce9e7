/**
 * Conversations about a document, most recently active first.
 */
import type {
  ConversationRecord,
  NewConversation,
  StoredConversation,
} from '../../../app/store/records';
import type { MessageRepository } from './message-repository';
import { newId, notFound, withParent, type StoreContext } from './store-context';

interface ConversationRow {
  id: string;
  document_id: string;
  model_id: string;
  title: string;
  created_at: number;
  updated_at: number;
  message_count: number;
}

const SELECT = `SELECT c.id, c.document_id, c.model_id, c.title, c.created_at, c.updated_at,
  (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
  FROM conversations c`;
const RECENT_FIRST = 'ORDER BY c.updated_at DESC, c.rowid DESC';
const HINT = 'it may have been deleted.';

export class ConversationRepository {
  constructor(
    private readonly ctx: StoreContext,
    private readonly messages: MessageRepository,
  ) {}

  /** Starts a conversation about a stored document (the document must exist). */
  add(input: NewConversation): ConversationRecord {
    const now = this.ctx.now();
    const id = input.id ?? newId('conv');
    withParent('document', input.documentId, 'open the document again first.', () =>
      this.ctx.db
        .prepare(
          'INSERT INTO conversations (id, document_id, model_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(id, input.documentId, input.modelId, input.title, now, now),
    );
    return this.get(id);
  }

  /** The conversation's summary; KvLensError('not-found') when it was deleted. */
  get(id: string): ConversationRecord {
    const found = this.find(id);
    if (!found) throw notFound('conversation', id, HINT);
    return found;
  }

  find(id: string): ConversationRecord | null {
    const row = this.ctx.db.prepare(`${SELECT} WHERE c.id = ?`).get(id);
    return row ? fromRow(row as ConversationRow) : null;
  }

  /** The conversation with every message, oldest message first. */
  getWithMessages(id: string): StoredConversation {
    const read = this.ctx.db.transaction(() => ({
      ...this.get(id),
      messages: this.messages.list(id),
    }));
    // One read transaction, so a concurrent writer cannot make the count and the list disagree.
    return read();
  }

  /** Most recently active first; only those about `documentId` when given. */
  list(documentId: string | null = null): ConversationRecord[] {
    const rows =
      documentId === null
        ? this.ctx.db.prepare(`${SELECT} ${RECENT_FIRST}`).all()
        : this.ctx.db.prepare(`${SELECT} WHERE c.document_id = ? ${RECENT_FIRST}`).all(documentId);
    return (rows as ConversationRow[]).map(fromRow);
  }

  /** Changes the title (and the model used for new answers, when given). */
  update(id: string, patch: { title?: string; modelId?: string }): ConversationRecord {
    const current = this.get(id);
    this.ctx.db
      .prepare('UPDATE conversations SET title = ?, model_id = ?, updated_at = ? WHERE id = ?')
      .run(patch.title ?? current.title, patch.modelId ?? current.modelId, this.ctx.now(), id);
    return this.get(id);
  }

  /** Deletes the conversation and its messages (foreign-key cascade). */
  delete(id: string): void {
    const changes = this.ctx.db.prepare('DELETE FROM conversations WHERE id = ?').run(id).changes;
    if (changes === 0) throw notFound('conversation', id, HINT);
  }
}

function fromRow(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    modelId: row.model_id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
  };
}
