import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { AppService } from '../app-service/app-service';
import { startHostServer, type HostServer } from './host-server';
import { decodeFrame, encodeFrame } from '../../app/ipc/wire-codec';
import { parseWireMessage, type WireMessage } from '../../app/ipc/wire-protocol';

let dir: string;
let service: AppService;
let host: HostServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kvlens-host-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>KV Lens</title>');
  service = new AppService({
    mode: 'browser',
    version: '0.0.0-test',
    dataDir: null,
    demoModelDir: join(dir, 'no-demo-model'),
  });
  host = await startHostServer({ service, staticDir: dir, port: 0 });
});

afterAll(async () => {
  await host.close();
  service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Tries a WebSocket upgrade and reports the HTTP status it was refused with (or 101). */
function upgradeStatus(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

const origin = () => `http://127.0.0.1:${host.port}`;
const apiUrl = (token: string) => `ws://127.0.0.1:${host.port}/api?token=${token}`;

describe('browser-mode host', () => {
  it('prints a loopback URL with the token and serves the page only with it', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const ok = await fetch(host.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${host.port}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('refuses a wrong token, a missing token and a foreign Origin', async () => {
    expect(await upgradeStatus(apiUrl('not-the-token'), origin())).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/api`, origin())).toBe(401);
    expect(await upgradeStatus(apiUrl(host.token), 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(apiUrl(host.token), undefined)).toBe(403);
    expect(await upgradeStatus(apiUrl(host.token), origin())).toBe(101);
  });

  it('round-trips requests, errors and events over a real WebSocket', async () => {
    const ws = new WebSocket(apiUrl(host.token), { origin: origin() });
    const received: WireMessage[] = [];
    ws.on('message', (data: Buffer) => {
      const m = parseWireMessage(decodeFrame(new Uint8Array(data)));
      if (m) received.push(m);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const call = async (id: number, channel: string, args: unknown) => {
      ws.send(encodeFrame({ t: 'req', id, channel, args }));
      for (let i = 0; i < 200; i++) {
        const hit = received.find((m) => m.t === 'res' && m.id === id);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`no response to ${channel}`);
    };
    try {
      const state = await call(1, 'app:getState', {});
      expect(state).toMatchObject({ ok: true, result: { mode: 'browser' } });

      const set = await call(2, 'settings:set', { patch: { executionProvider: 'cpu' } });
      expect(set).toMatchObject({ ok: true, result: { executionProvider: 'cpu' } });
      const event = received.find((m) => m.t === 'evt' && m.channel === 'app:onStateChanged');
      expect(event).toMatchObject({ payload: { settings: { executionProvider: 'cpu' } } });

      const bad = await call(3, 'settings:set', { patch: { executionProvider: 'tpu' } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      const missing = await call(4, 'conversation:get', { conversationId: 'nope' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      ws.close();
    }
  });

  it('closes a socket that sends something other than a contract request', async () => {
    const ws = new WebSocket(apiUrl(host.token), { origin: origin() });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(encodeFrame({ t: 'req', id: 1, channel: 'fs:readFile', args: {} }));
    expect(await closed).toBe(1008);
  });
});
