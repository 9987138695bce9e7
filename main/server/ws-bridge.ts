/**
 * Connects one browser WebSocket to the app service: frames in, validated requests dispatched,
 * responses and every contract event framed back.
 */
import type { WebSocket } from 'ws';
import { toErrorInfo } from '../../app/errors';
import { decodeFrame, encodeFrame } from '../../app/ipc/wire-codec';
import { parseWireMessage, type WireMessage } from '../../app/ipc/wire-protocol';
import type { AppService } from '../app-service/app-service';

/** Serves `socket` until it closes; returns the function that detaches it early. */
export function bridgeSocket(socket: WebSocket, service: AppService): () => void {
  const send = (message: WireMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeFrame(message));
  };
  const unsubscribe = service.onEvent((channel, payload) => send({ t: 'evt', channel, payload }));

  socket.on('message', (data, isBinary) => {
    let message: WireMessage | null = null;
    try {
      if (!isBinary) throw new Error('text frame');
      const bytes = Array.isArray(data)
        ? new Uint8Array(Buffer.concat(data))
        : new Uint8Array(data as ArrayBuffer | Buffer);
      message = parseWireMessage(decodeFrame(bytes));
    } catch {
      message = null;
    }
    if (message === null || message.t !== 'req') {
      // Not our protocol: a page speaking anything else has no business on this socket.
      socket.close(1008, 'Malformed request');
      return;
    }
    const { id, channel, args } = message;
    service.dispatch(channel, args).then(
      (result) => send({ t: 'res', id, ok: true, result }),
      (err: unknown) => send({ t: 'res', id, ok: false, error: toErrorInfo(err) }),
    );
  });

  const detach = () => {
    unsubscribe();
  };
  socket.on('close', detach);
  return detach;
}
