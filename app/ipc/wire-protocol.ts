/**
 * Messages of the browser-mode WebSocket (carried in wire-codec frames). Requests and responses
 * pair by id; events carry a contract event channel.
 */
import type { ErrorCode } from '../errors';
import {
  isEventChannel,
  isRequestChannel,
  type EventChannel,
  type RequestChannel,
} from './contract';

export type WireMessage =
  | { t: 'req'; id: number; channel: RequestChannel; args: unknown }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: { code: ErrorCode; message: string } }
  | { t: 'evt'; channel: EventChannel; payload: unknown };

/** Checks the envelope of a decoded message (not the arguments: those have validators). */
export function parseWireMessage(value: unknown): WireMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.t === 'req') {
    if (!Number.isSafeInteger(m.id) || !isRequestChannel(m.channel)) return null;
    return { t: 'req', id: m.id as number, channel: m.channel, args: m.args };
  }
  if (m.t === 'res') {
    if (!Number.isSafeInteger(m.id)) return null;
    if (m.ok === true) return { t: 'res', id: m.id as number, ok: true, result: m.result };
    const e = m.error as Record<string, unknown> | null | undefined;
    if (m.ok !== false || typeof e !== 'object' || e === null) return null;
    if (typeof e.code !== 'string' || typeof e.message !== 'string') return null;
    return {
      t: 'res',
      id: m.id as number,
      ok: false,
      error: { code: e.code as ErrorCode, message: e.message },
    };
  }
  if (m.t === 'evt') {
    if (!isEventChannel(m.channel)) return null;
    return { t: 'evt', channel: m.channel, payload: m.payload };
  }
  return null;
}
