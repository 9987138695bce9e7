/**
 * Entry of the engine process that Electron's main starts with utilityProcess.fork: the app
 * service (engine, documents, conversations) lives here, off the window's main thread.
 *
 * argv: --data-dir DIR --demo-model DIR --samples DIR --version V
 */
import { AppService } from './app-service';
import { serveOverPort, type PortLike } from './service-port';
import { DEMO_MODEL_DIR, SAMPLES_DIR } from './app-paths';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('engine-entry runs inside Electron utilityProcess.fork only.\n');
  process.exit(2);
}

const service = new AppService({
  mode: 'desktop',
  version: flag('version') ?? '0.0.0',
  dataDir: flag('data-dir') ?? null,
  demoModelDir: flag('demo-model') ?? DEMO_MODEL_DIR,
  samplesDir: flag('samples') ?? SAMPLES_DIR,
});
// utilityProcess delivers MessageEvent-like objects ({ data }); unwrap to the message itself.
serveOverPort(parentPort as unknown as PortLike, service, (m) => (m as { data: unknown }).data);
process.on('exit', () => service.dispose());
