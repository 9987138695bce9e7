/** The app's version, read once from package.json (shown in the about line and app state). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from './app-paths';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const APP_VERSION = readVersion();
