/**
 * `npm run serve [-- --port N] [--data-dir DIR] [--memory] [--model DIR]`: browser mode. Serves the renderer and the API
 * on 127.0.0.1 and prints the URL (with its access token) to open.
 */
import { resolve } from 'node:path';
import { KvLensError, toErrorInfo } from '../../app/errors';
import { intFlag, parseArgs } from '../cli/args';
import { AppService } from '../app-service/app-service';
import { DEMO_MODEL_DIR, RENDERER_DIST, SAMPLES_DIR } from '../app-service/app-paths';
import { resolveDataDir } from '../store/data-dir';
import { startHostServer, type HostServer } from './host-server';
import { ensureRendererBuilt } from './renderer-build';
import { APP_VERSION } from '../app-service/app-version';

export interface BrowserModeOptions {
  port: number;
  dataDir: string | null;
  /** The default model's folder (the bundled demo model unless given). */
  demoModelDir?: string;
  /** Sample PDFs for a library's first start (the bundled ones unless given; null: none). */
  samplesDir?: string | null;
  log: (message: string) => void;
}

/** Starts browser mode and returns the running host and service (for `npm start` too). */
export async function startBrowserMode(
  options: BrowserModeOptions,
): Promise<{ host: HostServer; service: AppService }> {
  await ensureRendererBuilt(options.log);
  const service = new AppService({
    mode: 'browser',
    version: APP_VERSION,
    dataDir: options.dataDir,
    demoModelDir: options.demoModelDir ?? DEMO_MODEL_DIR,
    samplesDir: options.samplesDir === undefined ? SAMPLES_DIR : options.samplesDir,
    log: options.log,
  });
  const host = await startHostServer({ service, staticDir: RENDERER_DIST, port: options.port });
  return { host, service };
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['port', 'data-dir', 'model'], booleans: ['memory'] });
  if (args.positionals.length > 0) {
    throw new KvLensError(
      'usage',
      `Unexpected argument "${args.positionals[0]}". Usage: npm run serve -- [--port N] [--data-dir DIR] [--memory] [--model DIR]`,
    );
  }
  const port = intFlag(args, 'port', 5178, 0, 65535);
  const dataDir = args.booleans.has('memory')
    ? null
    : (args.values.get('data-dir') ?? resolveDataDir());
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const model = args.values.get('model');
  const { host, service } = await startBrowserMode({
    port,
    dataDir,
    log,
    ...(model ? { demoModelDir: resolve(model) } : {}),
  });
  process.stdout.write(`KV Lens (browser mode) is running at ${host.url}\n`);
  const shutdown = () => {
    service.dispose();
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

// Run only as the entry point, so `npm start` can import startBrowserMode.
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('serve.ts')) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const info = toErrorInfo(err);
    process.stderr.write(`error (${info.code}): ${info.message}\n`);
    process.exitCode = info.code === 'usage' ? 2 : 1;
  });
}
