/**
 * Conversations and messages as the app stores and shows them (plain data, IPC-safe).
 */
import type { CompressionMethod } from './compression-methods';

/** Figures of one answer, shown in the stats panel and stored with the message. */
export interface ChatStats {
  promptTokens: number;
  /** KV entries kept after compression, summed over layers. */
  keptTokens: number;
  /** KV entries of the full cache, summed over layers (prompt tokens x layers). */
  fullTokens: number;
  fullKvBytes: number;
  compressedKvBytes: number;
  generatedTokens: number;
  /** From the question being sent to the first streamed token. */
  timeToFirstTokenMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** The execution provider that actually ran (after any fallback). */
  provider: string;
  /** Why a requested provider was not used, when it was not. */
  providerNote: string | null;
}

/** 'streaming' while an answer is being written (seen after a reload mid-answer). */
export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: number;
  status: MessageStatus;
  /** Assistant messages: how the cache was compressed for this answer. */
  method: CompressionMethod | null;
  budget: number | null;
  stats: ChatStats | null;
  /** Readable error when status is 'error'. */
  error: string | null;
}

export interface ConversationSummary {
  id: string;
  documentId: string;
  modelId: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export interface Conversation extends ConversationSummary {
  messages: ChatMessage[];
}
