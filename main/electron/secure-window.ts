/**
 * The app window with the secure defaults of style.md: context isolation, sandbox, no Node in
 * the page, a strict CSP, no navigation, no new windows, no permissions, no remote content.
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';

export const WINDOW_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  // pdf.js draws PDF pages in a worker loaded from the app's own files.
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Applies CSP headers and denies every permission request, once per session. */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [WINDOW_CSP] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  // Only the app's own files load: anything remote is cancelled before it leaves the machine.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const local = details.url.startsWith('file://') || details.url.startsWith('devtools://');
    callback({ cancel: !local });
  });
}

/** Opens the main window on the built renderer. */
export function createSecureWindow(indexHtml: string, preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'KV Lens',
    show: false,
    backgroundColor: '#f7f6f3',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  lockNavigation(win.webContents, pathToFileURL(indexHtml).href);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(indexHtml);
  return win;
}

function lockNavigation(contents: WebContents, allowed: string): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== allowed) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
