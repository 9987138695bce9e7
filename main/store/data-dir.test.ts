import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { defaultStorePath, resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('prefers KV_LENS_DATA_DIR on every platform', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(
        resolveDataDir({ env: { KV_LENS_DATA_DIR: '/data/kv' }, platform, home: '/home/u' }),
      ).toBe('/data/kv');
    }
    expect(
      resolveDataDir({
        env: { KV_LENS_DATA_DIR: 'D:\\kv' },
        platform: 'win32',
        home: 'C:\\Users\\u',
      }),
    ).toBe('D:\\kv');
  });

  it('uses the XDG data folder on Linux', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/home/u' })).toBe(
      '/home/u/.local/share/kv-lens',
    );
    expect(
      resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', home: '/home/u' }),
    ).toBe('/xdg/kv-lens');
    // A relative XDG_DATA_HOME is invalid per the spec and ignored.
    expect(
      resolveDataDir({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', home: '/home/u' }),
    ).toBe('/home/u/.local/share/kv-lens');
    expect(
      resolveDataDir({ env: { KV_LENS_DATA_DIR: ' ' }, platform: 'freebsd', home: '/h' }),
    ).toBe('/h/.local/share/kv-lens');
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/KV Lens',
    );
    expect(
      resolveDataDir({
        env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        platform: 'win32',
        home: 'C:\\Users\\u',
      }),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\KV Lens');
    expect(resolveDataDir({ env: {}, platform: 'win32', home: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\KV Lens',
    );
  });

  it('puts the library file in the data folder', () => {
    expect(defaultStorePath('/data/kv')).toBe(join('/data/kv', 'kv-lens.sqlite'));
  });
});
