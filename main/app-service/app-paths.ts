/**
 * Where the app finds its own files (built renderer, demo model, sample documents). The user's
 * data folder is main/store/data-dir.ts's resolveDataDir, the same for the desktop app, browser
 * mode and the CLI.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
export const SAMPLES_DIR = join(APP_ROOT, 'assets', 'samples');

/** The demo model's folder name among a packaged app's resources (electron-builder.yml `to`). */
export const PACKAGED_DEMO_MODEL_NAME = 'demo-model';

/**
 * The bundled demo model's folder: `<resourcesPath>/demo-model` in a packaged app (electron-builder
 * copies it there as an extra resource, outside app.asar so ONNX Runtime and the calibration
 * reader get plain files), the source tree's copy otherwise (pass null).
 */
export function demoModelDir(packagedResourcesPath: string | null): string {
  return packagedResourcesPath === null
    ? DEMO_MODEL_DIR
    : join(packagedResourcesPath, PACKAGED_DEMO_MODEL_NAME);
}

/** The sample PDFs' folder name among a packaged app's resources (electron-builder.yml `to`). */
export const PACKAGED_SAMPLES_NAME = 'samples';

/**
 * The sample documents' folder (the first one opens on a library's first start):
 * `<resourcesPath>/samples` in a packaged app (an extra resource, like the demo model), the
 * source tree's assets/samples otherwise (pass null).
 */
export function samplesDir(packagedResourcesPath: string | null): string {
  return packagedResourcesPath === null
    ? SAMPLES_DIR
    : join(packagedResourcesPath, PACKAGED_SAMPLES_NAME);
}
