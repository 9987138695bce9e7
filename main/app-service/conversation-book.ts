/**
 * Conversations and messages in the library database: every question is saved as it is asked
 * and every answer while it streams (AnswerWriter), so a restart, or a crash, keeps them.
 */
import type { ChatMessage, Conversation, ConversationSummary } from '../../app/chat/chat-types';
import type { CompressionMethod } from '../../app/chat/compression-methods';
import type { MessageRecord } from '../../app/store/records';
import type { AnswerWriter } from '../store/answer-writer';
import type { Store } from '../store/open-store';

const TITLE_CHARS = 60;

export class ConversationBook {
  constructor(private readonly store: Store) {}

  create(documentId: string, modelId: string, firstQuestion: string): ConversationSummary {
    const title = firstQuestion.trim().replace(/\s+/g, ' ');
    return this.store.conversations.add({
      documentId,
      modelId,
      title: title.length > TITLE_CHARS ? `${title.slice(0, TITLE_CHARS - 1)}…` : title,
    });
  }

  /** The conversation with its messages; KvLensError('not-found') naming the id. */
  get(id: string): Conversation {
    const c = this.store.conversations.getWithMessages(id);
    return { ...c, messages: c.messages.map(toChatMessage) };
  }

  /** Newest first; only those about `documentId` when given. */
  list(documentId: string | null): ConversationSummary[] {
    return this.store.conversations.list(documentId);
  }

  /** Saves a finished message (a question). */
  append(conversationId: string, m: ChatMessage): void {
    this.store.messages.add({ ...m, conversationId });
  }

  /** Starts saving a streamed answer; finish it (or dispose) when the answer ends. */
  beginAnswer(conversationId: string, method: CompressionMethod, budget: number): AnswerWriter {
    return this.store.beginAnswer({ conversationId, method, budget });
  }

  /** Drops the last message when it is an answer (regenerate replaces it). */
  dropLastAnswer(id: string): void {
    const last = this.store.messages.list(id).at(-1);
    if (last?.role === 'assistant') this.store.messages.delete(last.id);
  }

  delete(id: string): void {
    this.store.conversations.delete(id);
  }
}

/** A stored message as the window shows it. */
export function toChatMessage(r: MessageRecord): ChatMessage {
  return {
    id: r.id,
    role: r.role,
    text: r.text,
    createdAt: r.createdAt,
    status: r.status,
    method: r.method,
    budget: r.budget,
    stats: r.stats,
    error: r.error,
  };
}
