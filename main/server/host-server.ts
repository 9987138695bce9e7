/**
 * The browser-mode host: HTTP for the built renderer and a WebSocket for the API, bound to
 * 127.0.0.1 only and guarded by a random per-run token plus Origin and Host checks (another
 * site, or a DNS-rebound name, cannot reach the API even though it is on localhost).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_UPLOAD_BYTES } from '../../app/ipc/validate-args';
import type { AppService } from '../app-service/app-service';
import { sendStatic } from './static-files';
import { bridgeSocket } from './ws-bridge';

export interface HostServerOptions {
  service: AppService;
  /** Folder of the built renderer (index.html + assets). */
  staticDir: string;
  /** 0 = any free port. */
  port: number;
  /** Fixed token for tests; random per run otherwise. */
  token?: string;
}

export interface HostServer {
  port: number;
  token: string;
  /** The URL to open: http://127.0.0.1:PORT/?token=... */
  url: string;
  close(): Promise<void>;
}

export const API_PATH = '/api';
const HOST = '127.0.0.1';

/** Starts the host and resolves once it listens. */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_UPLOAD_BYTES + (1 << 20) });
  const detachers = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (!hostAllowed(req, port) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden.\n');
      return;
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    if (isPage && !tokenMatches(url.searchParams.get('token'), token)) {
      res
        .writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(
          'KV Lens: open the exact URL printed by `npm run serve` (it carries the access token).\n',
        );
      return;
    }
    if (!sendStatic(options.staticDir, url.pathname, req, res, port)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found.\n');
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== API_PATH) return refuse('404 Not Found');
    if (!hostAllowed(req, port)) return refuse('403 Forbidden');
    if (!originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const detach = bridgeSocket(ws, options.service);
      detachers.add(detach);
      ws.on('close', () => detachers.delete(detach));
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    close: async () => {
      for (const detach of detachers) detach();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Only the page this server served may connect (no other site, no file://, no extension). */
function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
}

/** Guards against DNS rebinding: the Host header must name the loopback address we bound. */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}
