/**
 * The engine's utility process, seen from Electron's main: typed requests out, responses and
 * events back. Keeps prefill and decoding off the main thread, so the window never freezes.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { KvLensError, type ErrorCode } from '../../app/errors';
import type { EventChannel, RequestChannel } from '../../app/ipc/contract';
import { parseWireMessage } from '../../app/ipc/wire-protocol';

type EventSink = (channel: EventChannel, payload: unknown) => void;

export class EngineProcess {
  private readonly child: UtilityProcess;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: unknown): void }
  >();
  private nextId = 1;
  private exited = false;

  /** Forks `entry` (the bundled engine-entry) with the given argv. */
  constructor(entry: string, args: string[], onEvent: EventSink) {
    this.child = utilityProcess.fork(entry, args, {
      serviceName: 'KV Lens engine',
      stdio: 'inherit',
    });
    this.child.on('message', (raw: unknown) => {
      const message = parseWireMessage(raw);
      if (!message) return;
      if (message.t === 'evt') onEvent(message.channel, message.payload);
      else if (message.t === 'res') {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.ok) p.resolve(message.result);
        else p.reject(new KvLensError(message.error.code as ErrorCode, message.error.message));
      }
    });
    this.child.on('exit', (code) => {
      this.exited = true;
      const err = new KvLensError(
        'internal',
        `The engine process stopped (exit code ${code}). Restart KV Lens; if it happens again, try the CPU execution provider.`,
      );
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  /** Sends an already validated request; resolves with the result or rejects with KvLensError. */
  request(channel: RequestChannel, args: unknown): Promise<unknown> {
    if (this.exited) {
      return Promise.reject(
        new KvLensError('internal', 'The engine process is not running; restart KV Lens.'),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.postMessage({ t: 'req', id, channel, args });
    });
  }

  dispose(): void {
    if (!this.exited) this.child.kill();
  }
}
