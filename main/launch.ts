/**
 * `npm start`: the desktop app when Electron can start here; otherwise says why and serves
 * browser mode instead, printing the URL to open.
 *
 * Flags: --browser (skip Electron), --port N (browser mode; default 5178, busy -> any free port).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toErrorInfo } from '../app/errors';
import { intFlag, parseArgs } from './cli/args';
import { buildElectronBundles, ELECTRON_OUT } from './build/electron-bundles';
import { ensureRendererBuilt } from './server/renderer-build';
import { startBrowserMode } from './server/serve';
import { resolveDataDir } from './store/data-dir';

const log = (m: string) => process.stderr.write(`${m}\n`);

/**
 * The Electron executable, located the way the electron package does it but without its
 * side effect: requiring 'electron' starts a download when the binary is missing.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron')
    : name
      ? join(pkgDir, 'dist', name)
      : '';
  return binary && existsSync(binary) ? binary : null;
}

/** Why Electron cannot open a window here, or null when it should. */
export function electronUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  }
  if (electronBinary(env) === null && !downloadElectron()) {
    return 'the Electron binary is not downloaded and its download failed (node_modules/electron has no executable; run `npx install-electron` where its download host is reachable)';
  }
  return null;
}

/**
 * Fetches the Electron runtime with the electron package's own installer. npm 11 runs no install
 * scripts of dependencies by default, so on a fresh clone the first `npm start` downloads it; an
 * offline machine fails fast and gets browser mode.
 */
function downloadElectron(): boolean {
  let installer: string;
  try {
    installer = join(
      dirname(createRequire(import.meta.url).resolve('electron/package.json')),
      'install.js',
    );
  } catch {
    return false;
  }
  if (!existsSync(installer)) return false;
  log('Downloading the Electron runtime (first start only)...');
  const result = spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 600_000 });
  return result.status === 0 && electronBinary() !== null;
}

async function startDesktop(): Promise<number> {
  await ensureRendererBuilt(log);
  await buildElectronBundles();
  const binary = electronBinary();
  if (!binary) throw new Error('the Electron binary disappeared');
  const child = spawn(binary, [join(ELECTRON_OUT, 'main.mjs')], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function startBrowser(port: number): Promise<void> {
  const options = { dataDir: resolveDataDir(), log };
  let started;
  try {
    started = await startBrowserMode({ ...options, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    log(`Port ${port} is busy; using any free port.`);
    started = await startBrowserMode({ ...options, port: 0 });
  }
  process.stdout.write(`KV Lens (browser mode) is running at ${started.host.url}\n`);
  const stop = () => {
    started.service.dispose();
    void started.host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['port'], booleans: ['browser'] });
  const port = intFlag(args, 'port', 5178, 0, 65535);
  const reason = args.booleans.has('browser')
    ? 'browser mode was asked for (--browser)'
    : electronUnavailableReason();
  if (reason === null) {
    try {
      process.exitCode = await startDesktop();
      return;
    } catch (err) {
      log(`The desktop app could not start: ${toErrorInfo(err).message}`);
    }
  } else {
    log(`The desktop app cannot start here: ${reason}.`);
  }
  log('Starting browser mode instead.');
  await startBrowser(port);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const info = toErrorInfo(err);
  log(`error (${info.code}): ${info.message}`);
  process.exitCode = info.code === 'usage' ? 2 : 1;
});
