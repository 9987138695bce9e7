/**
 * IPC handlers of the main process: every contract channel is validated here, then forwarded
 * to the engine process; errors come back as data (BridgeOutcome) so code and message survive.
 * Dialog channels are main-only and never reach the engine.
 */
import { dialog, ipcMain, type BrowserWindow } from 'electron';
import { toErrorInfo } from '../../app/errors';
import { REQUEST_CHANNELS } from '../../app/ipc/contract';
import { validateArgs } from '../../app/ipc/validate-args';
import type { BridgeOutcome } from '../../app/ipc/bridge';
import type { EngineProcess } from './engine-process';

export const DIALOG_CHANNELS = {
  pickDocument: 'dialog:pickDocument',
  pickModelFolder: 'dialog:pickModelFolder',
} as const;

/** Registers one handler per channel; returns the function that removes them. */
export function registerIpcHandlers(
  engine: EngineProcess,
  window: () => BrowserWindow | null,
): () => void {
  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, async (event, raw: unknown): Promise<BridgeOutcome<unknown>> => {
      // Only our own window's top frame may call in.
      const win = window();
      if (
        !win ||
        event.sender !== win.webContents ||
        event.senderFrame !== win.webContents.mainFrame
      ) {
        return {
          ok: false,
          code: 'invalid-argument',
          message: 'Request from an unknown frame refused.',
        };
      }
      try {
        const args = validateArgs(channel, raw);
        return { ok: true, result: await engine.request(channel, args) };
      } catch (err) {
        const info = toErrorInfo(err);
        return { ok: false, code: info.code, message: info.message };
      }
    });
  }
  ipcMain.handle(DIALOG_CHANNELS.pickDocument, async () => {
    const win = window();
    const options = {
      title: 'Open document',
      properties: ['openFile' as const],
      filters: [
        { name: 'Documents', extensions: ['pdf', 'txt', 'md', 'markdown'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  ipcMain.handle(DIALOG_CHANNELS.pickModelFolder, async () => {
    const win = window();
    const options = {
      title: 'Import model folder (Hugging Face layout)',
      properties: ['openDirectory' as const],
    };
    const result = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  return () => {
    for (const channel of REQUEST_CHANNELS) ipcMain.removeHandler(channel);
    ipcMain.removeHandler(DIALOG_CHANNELS.pickDocument);
    ipcMain.removeHandler(DIALOG_CHANNELS.pickModelFolder);
  };
}
