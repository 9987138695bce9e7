import { describe, it, expect, vi, beforeEach } from 'vitest';

// Electron cannot run here (no binary); the handlers are tested against a recording ipcMain.
const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
}));

const { registerIpcHandlers, DIALOG_CHANNELS } = await import('./ipc-handlers');
const { REQUEST_CHANNELS } = await import('../../app/ipc/contract');
const { KvLensError } = await import('../../app/errors');

const mainFrame = { id: 'main' };
const webContents = { mainFrame };
const win = { webContents };
const fromWindow = { sender: webContents, senderFrame: mainFrame };

describe('Electron IPC handlers', () => {
  const sent: { channel: string; args: unknown }[] = [];
  const engine = {
    request: async (channel: string, args: unknown) => {
      sent.push({ channel, args });
      if (channel === 'conversation:get')
        throw new KvLensError('not-found', 'No conversation "c1".');
      return { echoed: channel };
    },
  };

  beforeEach(() => {
    handlers.clear();
    sent.length = 0;
    registerIpcHandlers(engine as never, () => win as never);
  });

  it('registers every contract channel and the two dialogs, and nothing else', () => {
    expect([...handlers.keys()].sort()).toEqual(
      [...REQUEST_CHANNELS, DIALOG_CHANNELS.pickDocument, DIALOG_CHANNELS.pickModelFolder].sort(),
    );
  });

  it('validates before forwarding, and returns errors as data', async () => {
    const ok = await handlers.get('settings:set')!(fromWindow, {
      patch: { executionProvider: 'cpu' },
    });
    expect(ok).toEqual({ ok: true, result: { echoed: 'settings:set' } });
    const bad = await handlers.get('settings:set')!(fromWindow, {
      patch: { executionProvider: 'tpu' },
    });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-argument' });
    const missing = await handlers.get('conversation:get')!(fromWindow, { conversationId: 'c1' });
    expect(missing).toEqual({ ok: false, code: 'not-found', message: 'No conversation "c1".' });
    expect(sent.map((s) => s.channel)).toEqual(['settings:set', 'conversation:get']);
  });

  it('refuses calls from another frame or window', async () => {
    const other = await handlers.get('app:getState')!({ sender: {}, senderFrame: mainFrame }, {});
    const iframe = await handlers.get('app:getState')!(
      { sender: webContents, senderFrame: {} },
      {},
    );
    expect(other).toMatchObject({ ok: false });
    expect(iframe).toMatchObject({ ok: false });
    expect(sent).toEqual([]);
  });
});
