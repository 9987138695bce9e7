/**
 * `npm run build:electron`: writes the Electron bundles to out/electron/ (package.json "main"),
 * the step `npm run dist` runs before electron-builder.
 */
import { relative } from 'node:path';
import { toErrorInfo } from '../../app/errors';
import { APP_ROOT } from '../app-service/app-paths';
import { buildElectronBundles, ELECTRON_OUT } from './electron-bundles';

buildElectronBundles().then(
  () => process.stderr.write(`Electron bundles written to ${relative(APP_ROOT, ELECTRON_OUT)}/\n`),
  (err: unknown) => {
    const info = toErrorInfo(err);
    process.stderr.write(`error (${info.code}): ${info.message}\n`);
    process.exitCode = 1;
  },
);
