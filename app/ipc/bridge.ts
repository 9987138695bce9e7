/**
 * What the Electron preload exposes to the renderer (window.kvLens): one function per request
 * channel, one subscribe function for events, and the desktop-only pickers. Never ipcRenderer.
 */
import type {
  EventChannel,
  EventPayload,
  RequestArgs,
  RequestChannel,
  RequestResult,
} from './contract';

export type BridgeRequests = {
  [C in RequestChannel]: (args: RequestArgs<C>) => Promise<RequestResult<C>>;
};

/** The result of a bridged call: Electron turns thrown errors into strings, so errors travel as data. */
export type BridgeOutcome<T> =
  { ok: true; result: T } | { ok: false; code: string; message: string };

export interface KvLensBridge {
  /** One function per contract request; each resolves to an outcome, never rejects with data loss. */
  requests: {
    [C in RequestChannel]: (args: RequestArgs<C>) => Promise<BridgeOutcome<RequestResult<C>>>;
  };
  /** Subscribes to one event channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Native open dialog for a document; resolves to a path or null when cancelled. */
  pickDocument(): Promise<string | null>;
  /** Native folder dialog for a model import; resolves to a path or null when cancelled. */
  pickModelFolder(): Promise<string | null>;
  /** Host path of a dropped File (Electron only), or '' when it has none. */
  pathForFile(file: File): string;
}

/** The name the preload exposes the bridge under (window[BRIDGE_KEY]). */
export const BRIDGE_KEY = 'kvLens';
