/**
 * Browser-mode transport: the contract over one WebSocket to the host that served the page.
 */
import { KvLensError, type ErrorCode } from '../../app/errors';
import type { EventChannel, RequestChannel } from '../../app/ipc/contract';
import { decodeFrame, encodeFrame } from '../../app/ipc/wire-codec';
import { parseWireMessage, type WireMessage } from '../../app/ipc/wire-protocol';
import type { ApiClient, ConnectionState } from './api-client';
import { ListenerSet } from './listener-set';

/** The subset of the WebSocket API used here (browsers' WebSocket and the ws package fit). */
export interface SocketLike {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

const OPEN = 1;

/** Connects to `url` (ws://127.0.0.1:PORT/api?token=...). */
export function createWsClient(url: string, makeSocket: (url: string) => SocketLike): ApiClient {
  const socket = makeSocket(url);
  socket.binaryType = 'arraybuffer';
  const pending = new Map<number, Pending>();
  const queue: Uint8Array[] = [];
  const events = new ListenerSet<EventChannel>();
  const connection = new ListenerSet<'state'>();
  let state: ConnectionState = 'connecting';
  let nextId = 1;

  const setState = (next: ConnectionState) => {
    state = next;
    connection.emit('state', next);
  };
  socket.onopen = () => {
    for (const frame of queue.splice(0)) socket.send(frame);
    setState('open');
  };
  socket.onclose = () => {
    const err = new KvLensError(
      'internal',
      'Lost the connection to the KV Lens host. Is `npm run serve` still running? Reload the page to reconnect.',
    );
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    setState('closed');
  };
  socket.onerror = () => {};
  socket.onmessage = (ev) => {
    const data = ev.data;
    if (!(data instanceof ArrayBuffer)) return;
    const message = parseWireMessage(decodeFrame(new Uint8Array(data)));
    if (!message) return;
    if (message.t === 'evt') events.emit(message.channel, message.payload);
    else if (message.t === 'res') {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(new KvLensError(message.error.code as ErrorCode, message.error.message));
    }
  };

  return {
    mode: 'browser',
    request(channel: RequestChannel, args: unknown) {
      const id = nextId++;
      const frame = encodeFrame({ t: 'req', id, channel, args } satisfies WireMessage);
      return new Promise((resolve, reject) => {
        if (state === 'closed') {
          reject(
            new KvLensError('internal', 'Not connected to the KV Lens host; reload the page.'),
          );
          return;
        }
        pending.set(id, { resolve, reject });
        if (socket.readyState === OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    on: (channel, listener) => events.add(channel, listener),
    onConnection(listener) {
      listener(state);
      return connection.add('state', listener);
    },
    pickDocument: async () => null,
    pickModelFolder: async () => null,
    pathForFile: () => '',
    close() {
      events.clear();
      socket.close(1000, 'closing');
    },
  } as ApiClient;
}
