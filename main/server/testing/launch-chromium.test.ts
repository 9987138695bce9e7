import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireChromium } from './launch-chromium';

describe('requireChromium', () => {
  it('returns an executable path as it is', () => {
    expect(requireChromium(process.execPath)).toBe(process.execPath);
  });

  it('fails naming the path and the install command when the browser is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-lens-chromium-'));
    try {
      const missing = join(dir, 'chromium');
      expect(() => requireChromium(missing)).toThrow(missing);
      expect(() => requireChromium(missing)).toThrow(/apt-get install -y chromium/);
      // Present but not executable is as unusable as missing.
      writeFileSync(missing, '#!/bin/sh\n', { mode: 0o644 });
      expect(() => requireChromium(missing)).toThrow(/CHROMIUM_PATH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
