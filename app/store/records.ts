/**
 * The plain records the SQLite store reads and writes (main/store/), shared so the renderer and
 * the IPC layer can name them without importing Node code.
 *
 * Field names follow the IPC views (app/ipc/views.ts) and chat types (app/chat/chat-types.ts) so
 * a record maps onto what the window shows with no renaming.
 */
import type { ChatMessage, ChatStats, ConversationSummary } from '../chat/chat-types';
import type { CompressionMethod } from '../chat/compression-methods';
import type { DocumentKind } from '../documents/document';
import type { CalibrationState } from '../ipc/views';
import type { Settings } from '../settings/settings';

/**
 * 'streaming' while an answer is being generated; the other states are final. A message still
 * 'streaming' when the store opens was cut off by a crash and is recovered as 'stopped'.
 */
export type StoredMessageStatus = 'streaming' | ChatMessage['status'];

export const STORED_MESSAGE_STATUSES: readonly StoredMessageStatus[] = [
  'streaming',
  'done',
  'stopped',
  'error',
];

/** A document the user opened: where its bytes are and what ingestion found. */
export interface DocumentRecord {
  id: string;
  name: string;
  kind: DocumentKind;
  /** 'path': `path` is the user's own file; 'upload': `path` is the store's content-addressed copy. */
  source: 'path' | 'upload';
  path: string;
  /** Hex SHA-256 of the file's bytes (finds a re-opened file, names the stored copy). */
  sha256: string;
  pages: number;
  chars: number;
  bytes: number;
  warnings: string[];
  addedAt: number;
  lastOpenedAt: number;
}

export type NewDocument = Omit<DocumentRecord, 'id' | 'addedAt' | 'lastOpenedAt'> & {
  id?: string;
};

/** Same shape as the conversation list the window shows. */
export type ConversationRecord = ConversationSummary;

export interface NewConversation {
  id?: string;
  documentId: string;
  modelId: string;
  title: string;
}

/** A stored message: a ChatMessage plus where it belongs and when it last changed. */
export interface MessageRecord extends Omit<ChatMessage, 'status'> {
  conversationId: string;
  status: StoredMessageStatus;
  updatedAt: number;
}

export interface NewMessage {
  id?: string;
  conversationId: string;
  role: ChatMessage['role'];
  text: string;
  status: StoredMessageStatus;
  method?: CompressionMethod | null;
  budget?: number | null;
  stats?: ChatStats | null;
  error?: string | null;
}

/** A conversation with its messages in the order they were written. */
export interface StoredConversation extends ConversationRecord {
  messages: MessageRecord[];
}

/** A model folder the app knows, with its last known calibration state. */
export interface ModelRecord {
  id: string;
  name: string;
  dir: string;
  isDefault: boolean;
  addedAt: number;
  calibration: CalibrationState;
  calibrationNote: string | null;
}

export type NewModel = Omit<ModelRecord, 'addedAt' | 'calibration' | 'calibrationNote'> & {
  calibration?: CalibrationState;
  calibrationNote?: string | null;
};

/** Everything the settings table holds: the app's Settings plus the chat defaults. */
export interface StoredSettings extends Settings {
  /** Method preselected in the "Compression method" select. */
  defaultMethod: CompressionMethod;
  /** Tokens per layer preselected on the "Cache budget" slider. */
  defaultBudget: number;
  /** Tokens per prefill chunk (bounds prefill memory). */
  chunkSize: number;
}

export type StoredSettingKey = keyof StoredSettings;
