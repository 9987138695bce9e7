/**
 * Picks this window's transport: the Electron preload bridge when present, else the WebSocket
 * of the browser-mode host, authenticated by the token in the page URL.
 */
import { BRIDGE_KEY, type KvLensBridge } from '../../app/ipc/bridge';
import { KvLensError } from '../../app/errors';
import type { ApiClient } from './api-client';
import { createBridgeClient } from './bridge-client';
import { createWsClient, type SocketLike } from './ws-client';

/** Connects using `win` (the global window in the app; a stand-in in tests). */
export function connectApi(win: Window & typeof globalThis): ApiClient {
  const bridge = (win as unknown as Record<string, KvLensBridge | undefined>)[BRIDGE_KEY];
  if (bridge) return createBridgeClient(bridge);
  const token = new URLSearchParams(win.location.search).get('token');
  if (!token) {
    throw new KvLensError(
      'usage',
      'This page needs its access token: open the exact URL printed by `npm run serve`.',
    );
  }
  const url = `ws://${win.location.host}/api?token=${encodeURIComponent(token)}`;
  return createWsClient(url, (u) => new win.WebSocket(u) as unknown as SocketLike);
}
