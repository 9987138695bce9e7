/**
 * Bundles the Electron entry points into out/electron/ (Electron runs JavaScript, not
 * TypeScript): main.mjs and engine-entry.mjs as ESM with npm packages left external, and
 * preload.cjs as one self-contained CommonJS file (a sandboxed preload may require only
 * 'electron'). Uses Vite's library build, already a dev dependency for the renderer.
 */
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { APP_ROOT } from '../app-service/app-paths';

export const ELECTRON_OUT = join(APP_ROOT, 'out', 'electron');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * Builds the three bundles into `outDir` (default out/electron/, where package.json "main"
 * points); logs to stderr through Vite's warn level only.
 */
export async function buildElectronBundles(outDir: string = ELECTRON_OUT): Promise<void> {
  const { build } = await import('vite');
  const common = { configFile: false as const, logLevel: 'warn' as const, root: APP_ROOT };
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: true,
      ssr: true,
      target: 'node22',
      rollupOptions: {
        input: {
          main: join(APP_ROOT, 'main/electron/main.ts'),
          'engine-entry': join(APP_ROOT, 'main/app-service/engine-entry.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
        external: ['electron', ...nodeBuiltins],
      },
    },
  });
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      ssr: true,
      target: 'node22',
      ssrEmitAssets: false,
      rollupOptions: {
        input: { preload: join(APP_ROOT, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        external: ['electron'],
      },
    },
    ssr: { noExternal: true },
  });
}
