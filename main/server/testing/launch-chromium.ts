/**
 * Debian's Chromium for the end-to-end tests (playwright-core brings no browser of its own).
 * A missing browser fails the tests with the command that installs it, never skips them: a
 * skipped end-to-end suite reads as green while nothing of the app was checked.
 */
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** $CHROMIUM_PATH, else where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless run on a machine with no GPU and no network to spare. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

/** The browser executable at `path`; throws saying how to install it when there is none. */
export function requireChromium(path: string = CHROMIUM_PATH): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium executable at ${path}; the end-to-end tests need one. Install Debian's ` +
        'chromium (apt-get update && apt-get install -y chromium; .ci/run does this), or set ' +
        'CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return path;
}

/** Launches headless Chromium (requireChromium first, so a missing browser fails loudly). */
export function launchChromium(path: string = CHROMIUM_PATH): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(path), args: CHROMIUM_ARGS });
}
