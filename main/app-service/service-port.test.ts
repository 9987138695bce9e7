import { describe, it, expect } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppService } from './app-service';
import { serveOverPort } from './service-port';
import { parseWireMessage, type WireMessage } from '../../app/ipc/wire-protocol';

describe('service over a message port', () => {
  it('answers requests, reports errors and forwards events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvlens-port-'));
    const service = new AppService({
      mode: 'desktop',
      version: 't',
      dataDir: null,
      demoModelDir: join(dir, 'none'),
    });
    const { port1, port2 } = new MessageChannel();
    serveOverPort(port1, service);
    const got: WireMessage[] = [];
    port2.on('message', (m) => {
      const parsed = parseWireMessage(m);
      if (parsed) got.push(parsed);
    });
    const wait = async (pred: (m: WireMessage) => boolean) => {
      for (let i = 0; i < 100; i++) {
        const hit = got.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('no message');
    };
    try {
      port2.postMessage({
        t: 'req',
        id: 1,
        channel: 'settings:set',
        args: { patch: { executionProvider: 'webgpu' } },
      });
      expect(await wait((m) => m.t === 'res' && m.id === 1)).toMatchObject({
        ok: true,
        result: { executionProvider: 'webgpu' },
      });
      expect(await wait((m) => m.t === 'evt')).toMatchObject({ channel: 'app:onStateChanged' });
      port2.postMessage({ t: 'req', id: 2, channel: 'model:list', args: { extra: true } });
      expect(await wait((m) => m.t === 'res' && m.id === 2)).toMatchObject({
        ok: false,
        error: { code: 'invalid-argument' },
      });
      port2.postMessage({ t: 'req', id: 3, channel: 'chat:ask', args: {} });
      expect(await wait((m) => m.t === 'res' && m.id === 3)).toMatchObject({ ok: false });
    } finally {
      port1.close();
      port2.close();
      service.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
