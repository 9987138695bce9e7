/**
 * The application menu: File (open document, import model folder, quit), Edit, View, Help.
 * Menu actions go through the same paths as the window's buttons (dialogs, then the contract).
 */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openDocument(): void;
  importModel(): void;
}

/** Builds and installs the menu for `win`. */
export function installAppMenu(actions: MenuActions, win: () => BrowserWindow | null): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Document…',
          accelerator: 'CmdOrCtrl+O',
          click: () => actions.openDocument(),
        },
        {
          label: 'Import Model Folder…',
          accelerator: 'CmdOrCtrl+Shift+I',
          click: () => actions.importModel(),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => win()?.webContents.reload() },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
