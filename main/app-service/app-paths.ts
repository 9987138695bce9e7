/**
 * Where the app finds its own files (built renderer, demo model) and keeps the user's data.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../store/data-dir';

/**
 * The repository (or packaged app) root: the nearest folder above this module holding
 * package.json. Searched, not fixed, because bundling moves this code (out/electron/...).
 */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return resolve(start, '..', '..');
    dir = up;
  }
  return dir;
}

export const APP_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const RENDERER_DIST = join(APP_ROOT, 'dist', 'renderer');
export const RENDERER_SRC = join(APP_ROOT, 'renderer');
export const DEMO_MODEL_DIR = join(APP_ROOT, 'native-models', 'demo-model', 'weights');

/**
 * The user-data folder outside Electron (Electron passes app.getPath('userData') instead):
 * $KV_LENS_DATA_DIR, else the platform's per-user data folder (main/store/data-dir.ts).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolveDataDir({ env });
}
