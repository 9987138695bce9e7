/**
 * The preload: exposes window.kvLens (KvLensBridge) with one function per contract channel, one
 * subscribe function per event channel, and the two pickers. The page never sees ipcRenderer.
 * Bundled to one CommonJS file: a sandboxed preload can require only 'electron'.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNELS, REQUEST_CHANNELS, isEventChannel } from '../../app/ipc/contract';
import { BRIDGE_KEY, type KvLensBridge } from '../../app/ipc/bridge';

const DIALOG_PICK_DOCUMENT = 'dialog:pickDocument';
const DIALOG_PICK_MODEL_FOLDER = 'dialog:pickModelFolder';

const requests = Object.fromEntries(
  REQUEST_CHANNELS.map((channel) => [
    channel,
    (args: unknown) => ipcRenderer.invoke(channel, args),
  ]),
) as unknown as KvLensBridge['requests'];

const bridge: KvLensBridge = {
  requests,
  on(channel, listener) {
    // Only contract events: the page cannot subscribe to arbitrary IPC channels.
    if (!isEventChannel(channel) || !EVENT_CHANNELS.includes(channel)) return () => {};
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  pickDocument: () => ipcRenderer.invoke(DIALOG_PICK_DOCUMENT) as Promise<string | null>,
  pickModelFolder: () => ipcRenderer.invoke(DIALOG_PICK_MODEL_FOLDER) as Promise<string | null>,
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
