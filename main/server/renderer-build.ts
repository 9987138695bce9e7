/**
 * Builds the renderer with Vite when its output is missing or older than its sources, so
 * `npm run serve` works on a fresh clone without a separate build step.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT, RENDERER_DIST, RENDERER_SRC } from '../app-service/app-paths';

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test.tsx')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Whether dist/renderer is missing or older than renderer/ or app/ sources. */
export function rendererBuildIsStale(): boolean {
  const index = join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return Math.max(newestMtime(RENDERER_SRC), newestMtime(join(APP_ROOT, 'app'))) > built;
}

/** Runs `vite build` with the renderer config when needed; logs to stderr. */
export async function ensureRendererBuilt(log: (m: string) => void): Promise<void> {
  if (!rendererBuildIsStale()) return;
  log('Building the renderer (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: join(APP_ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
}
