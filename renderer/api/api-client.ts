/**
 * The only way the UI talks to the main side: typed requests and event subscriptions from the
 * contract, over whichever transport this window has (Electron preload or WebSocket).
 */
import type {
  EventChannel,
  EventPayload,
  RequestArgs,
  RequestChannel,
  RequestResult,
} from '../../app/ipc/contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ApiClient {
  readonly mode: 'desktop' | 'browser';
  /** Sends a request; rejects with KvLensError carrying the main side's code and message. */
  request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>>;
  /** Subscribes to an event channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Follows the connection (browser mode can lose its host; desktop is always open). */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Desktop only: native pickers. Browser mode returns null (it uses file inputs instead). */
  pickDocument(): Promise<string | null>;
  pickModelFolder(): Promise<string | null>;
  /** Desktop only: host path of a dropped File; '' when it has none (browser mode). */
  pathForFile(file: File): string;
  close(): void;
}
