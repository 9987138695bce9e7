/**
 * Serves the app service over a message port (Electron's utilityProcess parentPort, or a
 * worker_threads port in tests): the same request/response/event messages as the WebSocket,
 * carried by structured clone instead of frames. This is how the engine runs off the Electron
 * main thread: main forwards validated requests here and relays events to the window.
 */
import { toErrorInfo } from '../../app/errors';
import { parseWireMessage, type WireMessage } from '../../app/ipc/wire-protocol';
import type { AppService } from './app-service';

/** The part of a message port used here. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Answers requests arriving on `port` and posts every service event to it. */
export function serveOverPort(
  port: PortLike,
  service: AppService,
  unwrap = (m: unknown) => m,
): () => void {
  const post = (message: WireMessage) => port.postMessage(message);
  const off = service.onEvent((channel, payload) => post({ t: 'evt', channel, payload }));
  port.on('message', (raw) => {
    const message = parseWireMessage(unwrap(raw));
    if (message?.t !== 'req') return;
    const { id, channel, args } = message;
    service.dispatch(channel, args).then(
      (result) => post({ t: 'res', id, ok: true, result }),
      (err: unknown) => post({ t: 'res', id, ok: false, error: toErrorInfo(err) }),
    );
  });
  return off;
}
