/**
 * The one typed IPC contract between the renderer and the main side.
 *
 * Every request is `channel -> (args) => Promise<result>`; every event flows main -> renderer.
 * Channel names are `noun:verb` (events `noun:onThing`). Both transports (Electron IPC and the
 * browser-mode WebSocket) and both sides' thin wrappers are typed from these two maps, and the
 * main side validates every argument with `validateArgs` before it reaches a handler.
 */
import type { Settings } from '../settings/settings';
import type { CompressionMethod } from '../chat/compression-methods';
import type { ChatMessage, Conversation, ConversationSummary } from '../chat/chat-types';
import type {
  AppState,
  DocumentContent,
  DocumentSummary,
  ModelInfo,
  PageLayout,
  Progress,
} from './views';
import type { RetentionView } from './retention-view';

/** Where a document comes from: a host path (desktop) or uploaded bytes (browser mode). */
export type DocumentSource =
  { kind: 'path'; path: string } | { kind: 'upload'; name: string; bytes: Uint8Array };

export interface AskArgs {
  documentId: string;
  /** Continue this conversation; null starts a new one. */
  conversationId: string | null;
  question: string;
  method: CompressionMethod;
  budget: number;
}

/** The finished (or stopped) answer; tokens arrive earlier as `chat:onToken` events. */
export interface AskResult {
  conversationId: string;
  question: ChatMessage;
  answer: ChatMessage;
}

export interface RequestMap {
  'app:getState': { args: Record<string, never>; result: AppState };
  'document:open': {
    args: { source: DocumentSource; password: string | null; taskId: string };
    result: DocumentSummary;
  };
  'document:list': { args: Record<string, never>; result: DocumentSummary[] };
  'document:get': { args: { documentId: string }; result: DocumentContent };
  'document:close': { args: { documentId: string }; result: void };
  /** The PDF's bytes, for drawing its pages in the window (PDF documents only). */
  'document:getFile': { args: { documentId: string }; result: { bytes: Uint8Array } };
  'document:getPage': { args: { documentId: string; page: number }; result: PageLayout };
  'task:cancel': { args: { taskId: string }; result: { cancelled: boolean } };
  'chat:ask': { args: AskArgs & { taskId: string }; result: AskResult };
  'chat:stop': { args: { conversationId: string | null }; result: { stopped: boolean } };
  'chat:regenerate': {
    args: { conversationId: string; method: CompressionMethod; budget: number; taskId: string };
    result: AskResult;
  };
  'retention:select': {
    args: {
      conversationId: string;
      method: CompressionMethod;
      budget: number;
      withLayout: boolean;
    };
    result: RetentionView;
  };
  'conversation:list': { args: { documentId: string | null }; result: ConversationSummary[] };
  'conversation:get': { args: { conversationId: string }; result: Conversation };
  'conversation:delete': { args: { conversationId: string }; result: void };
  'model:list': { args: Record<string, never>; result: ModelInfo[] };
  'model:import': { args: { path: string; taskId: string }; result: ModelInfo };
  'model:calibrate': { args: { modelId: string; taskId: string }; result: ModelInfo };
  'settings:get': { args: Record<string, never>; result: Settings };
  'settings:set': { args: { patch: Partial<Settings> }; result: Settings };
}

/** A streamed piece of an answer. `index` counts pieces so a late joiner can spot gaps. */
export interface TokenEvent {
  conversationId: string;
  messageId: string;
  index: number;
  text: string;
}

export interface EventMap {
  'chat:onToken': TokenEvent;
  'chat:onProgress': Progress;
  'document:onProgress': Progress;
  'model:onProgress': Progress;
  'retention:onUpdate': RetentionView;
  'app:onStateChanged': AppState;
}

export type RequestChannel = keyof RequestMap;
export type EventChannel = keyof EventMap;
export type RequestArgs<C extends RequestChannel> = RequestMap[C]['args'];
export type RequestResult<C extends RequestChannel> = RequestMap[C]['result'];
export type EventPayload<E extends EventChannel> = EventMap[E];

/** Every request channel, checked against RequestMap so the list cannot drift. */
export const REQUEST_CHANNELS = [
  'app:getState',
  'document:open',
  'document:list',
  'document:get',
  'document:close',
  'document:getFile',
  'document:getPage',
  'task:cancel',
  'chat:ask',
  'chat:stop',
  'chat:regenerate',
  'retention:select',
  'conversation:list',
  'conversation:get',
  'conversation:delete',
  'model:list',
  'model:import',
  'model:calibrate',
  'settings:get',
  'settings:set',
] as const satisfies readonly RequestChannel[];

export const EVENT_CHANNELS = [
  'chat:onToken',
  'chat:onProgress',
  'document:onProgress',
  'model:onProgress',
  'retention:onUpdate',
  'app:onStateChanged',
] as const satisfies readonly EventChannel[];

// Compile-time proof that the lists name every channel of the maps.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allRequests: Missing<RequestChannel, (typeof REQUEST_CHANNELS)[number]> extends never
  ? true
  : never = true;
const _allEvents: Missing<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never
  ? true
  : never = true;
void _allRequests;
void _allEvents;

/** Whether a string is a request channel of the contract. */
export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(value);
}

/** Whether a string is an event channel of the contract. */
export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}

/** The side that serves requests: one async handler per channel. */
export type RequestHandlers = {
  [C in RequestChannel]: (args: RequestArgs<C>) => Promise<RequestResult<C>>;
};

/** Sends an event to every connected renderer. */
export type EmitEvent = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;
