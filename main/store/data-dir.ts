/**
 * Where KV Lens keeps the user's library: the one answer for the desktop app, browser mode and
 * the CLI, so every mode opens the same library (defaultStorePath).
 */
import { homedir } from 'node:os';
import path from 'node:path';

export const STORE_FILE_NAME = 'kv-lens.sqlite';

export interface DataDirInputs {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * The user-data folder: $KV_LENS_DATA_DIR when set, else the platform's per-user data folder
 * (Linux: $XDG_DATA_HOME or ~/.local/share/kv-lens; macOS: ~/Library/Application Support/KV Lens;
 * Windows: %APPDATA%\KV Lens). On macOS and Windows this is also Electron's userData; on Linux
 * Electron's would be ~/.config/KV Lens, but a library is data, not configuration (XDG).
 */
export function resolveDataDir(inputs: DataDirInputs = {}): string {
  const env = inputs.env ?? process.env;
  const platform = inputs.platform ?? process.platform;
  const home = inputs.home ?? homedir();
  // Join with the target platform's rules so the answer is right whichever OS runs the tests.
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env.KV_LENS_DATA_DIR;
  if (override !== undefined && override.trim() !== '') return p.resolve(override);
  if (platform === 'win32') {
    return p.join(env.APPDATA ?? p.join(home, 'AppData', 'Roaming'), 'KV Lens');
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'KV Lens');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(home, '.local', 'share');
  return p.join(base, 'kv-lens');
}

/** The library database inside a user-data folder: `<userData>/kv-lens.sqlite`. */
export function defaultStorePath(userDataDir: string): string {
  return path.join(userDataDir, STORE_FILE_NAME);
}
