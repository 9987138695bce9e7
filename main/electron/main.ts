/**
 * Electron main: one instance, one secure window, the engine in a utility process, typed IPC
 * handlers in between, and the app menu. Bundled by main/build/electron-bundles.ts into
 * out/electron/ (Electron does not run TypeScript).
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RENDERER_DIST, demoModelDir, samplesDir } from '../app-service/app-paths';
import { APP_VERSION } from '../app-service/app-version';
import { resolveDataDir } from '../store/data-dir';
import { EngineProcess } from './engine-process';
import { registerIpcHandlers } from './ipc-handlers';
import { createSecureWindow, hardenSession } from './secure-window';
import { installAppMenu } from './app-menu';

const here = import.meta.dirname;
let window: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the first (which focuses its window) and quits.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
}

function start(): void {
  hardenSession();
  const engine = new EngineProcess(
    join(here, 'engine-entry.mjs'),
    [
      // The library lives where browser mode and the CLI keep it (on Linux Electron's userData
      // would be ~/.config/KV Lens), so both modes show the same documents and conversations;
      // userData keeps only Chromium's own profile.
      '--data-dir',
      resolveDataDir(),
      '--demo-model',
      // Packaged: electron-builder put the demo model beside app.asar (extraResources).
      demoModelDir(app.isPackaged ? process.resourcesPath : null),
      // The first start opens a sample; packaged, they are extra resources beside the model.
      '--samples',
      samplesDir(app.isPackaged ? process.resourcesPath : null),
      '--version',
      APP_VERSION,
    ],
    (channel, payload) => window?.webContents.send(channel, payload),
  );
  const unregister = registerIpcHandlers(engine, () => window);
  const report = (err: unknown) => {
    if (window)
      void dialog.showMessageBox(window, {
        type: 'error',
        message: String((err as Error).message ?? err),
      });
  };
  installAppMenu(
    {
      openDocument: async () => {
        const picked = await dialog.showOpenDialog({
          properties: ['openFile'],
          filters: [{ name: 'Documents', extensions: ['pdf', 'txt', 'md', 'markdown'] }],
        });
        const path = picked.filePaths[0];
        if (picked.canceled || !path) return;
        await engine
          .request('document:open', {
            source: { kind: 'path', path },
            password: null,
            taskId: `menu-${randomUUID()}`,
          })
          .catch(report);
      },
      importModel: async () => {
        const picked = await dialog.showOpenDialog({ properties: ['openDirectory'] });
        const path = picked.filePaths[0];
        if (picked.canceled || !path) return;
        await engine
          .request('model:import', { path, taskId: `menu-${randomUUID()}` })
          .catch(report);
      },
    },
    () => window,
  );
  window = createSecureWindow(join(RENDERER_DIST, 'index.html'), join(here, 'preload.cjs'));
  window.on('closed', () => {
    window = null;
  });
  app.on('before-quit', () => {
    unregister();
    engine.dispose();
  });
}
