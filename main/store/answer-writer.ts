/**
 * Saves an answer while it streams: the message row exists from the first moment, its text is
 * flushed every few tokens or milliseconds, and it is finalised with the answer's figures.
 *
 * Flushing is driven by arriving tokens (no timer), so at most `flushEveryTokens - 1` pieces or
 * `flushEveryMs` worth of text is unsaved at any moment while tokens flow; a crash keeps all
 * flushed text and start-up recovery marks the answer 'stopped'.
 */
import type { ChatStats } from '../../app/chat/chat-types';
import type { CompressionMethod } from '../../app/chat/compression-methods';
import type { MessageRecord } from '../../app/store/records';
import type { MessageRepository } from './repositories/message-repository';

export interface AnswerWriterOptions {
  /** Write buffered text once this many pieces arrived since the last write. */
  flushEveryTokens?: number;
  /** Write buffered text once this long passed since the last write. */
  flushEveryMs?: number;
  /** Clock for the time rule (tests). */
  now?: () => number;
}

export interface NewAnswer {
  id?: string;
  conversationId: string;
  method: CompressionMethod;
  budget: number;
}

const DEFAULT_FLUSH_TOKENS = 16;
const DEFAULT_FLUSH_MS = 250;

export class AnswerWriter {
  /** The message row, created 'streaming' with empty text. */
  readonly message: MessageRecord;
  private pending = '';
  private pendingPieces = 0;
  private lastFlush: number;
  private final: MessageRecord | null = null;
  private closed = false;
  private readonly flushTokens: number;
  private readonly flushMs: number;
  private readonly now: () => number;

  constructor(
    private readonly messages: MessageRepository,
    answer: NewAnswer,
    options: AnswerWriterOptions = {},
  ) {
    this.flushTokens = Math.max(1, options.flushEveryTokens ?? DEFAULT_FLUSH_TOKENS);
    this.flushMs = Math.max(0, options.flushEveryMs ?? DEFAULT_FLUSH_MS);
    this.now = options.now ?? Date.now;
    this.message = messages.add({
      ...(answer.id !== undefined ? { id: answer.id } : {}),
      conversationId: answer.conversationId,
      role: 'assistant',
      text: '',
      status: 'streaming',
      method: answer.method,
      budget: answer.budget,
    });
    this.lastFlush = this.now();
  }

  /** Adds one streamed piece; writes the buffer when the token or time rule says so. */
  append(text: string): void {
    if (this.closed) return;
    this.pending += text;
    this.pendingPieces++;
    if (this.pendingPieces >= this.flushTokens || this.now() - this.lastFlush >= this.flushMs) {
      this.flush();
    }
  }

  /** Writes buffered text now. */
  flush(): void {
    if (this.closed || this.pending.length === 0) return;
    const stillThere = this.messages.appendText(this.message.id, this.pending);
    this.pending = '';
    this.pendingPieces = 0;
    this.lastFlush = this.now();
    // The conversation was deleted while streaming: nothing left to save into.
    if (!stillThere) this.closed = true;
  }

  /** Finalises the answer with its outcome; returns the stored message (null if deleted). */
  finish(
    status: 'done' | 'stopped' | 'error',
    stats: ChatStats | null = null,
    error: string | null = null,
  ): MessageRecord | null {
    if (this.closed) return this.final;
    this.closed = true;
    this.final = this.messages.finish(this.message.id, {
      status,
      stats,
      error,
      tail: this.pending,
    });
    this.pending = '';
    return this.final;
  }

  /** An abandoned writer (generation threw before finish) ends the answer as 'stopped'. */
  dispose(): void {
    if (!this.closed) this.finish('stopped');
  }
}
