import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KvLensError } from '../../../app/errors';
import { openStore } from '../open-store';
import { STORED_SETTINGS_DEFAULTS } from './settings-rules';
import { useTempDirs } from '../testing/temp-dirs';

const tempDir = useTempDirs();

function errorOf(fn: () => unknown): KvLensError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvLensError) return err;
    throw err;
  }
  throw new Error('expected a KvLensError');
}

describe('settings', () => {
  it('starts from the documented defaults', () => {
    const store = openStore(':memory:');
    expect(store.settings.get()).toEqual({
      executionProvider: 'auto',
      maxNewTokens: 256,
      activeModelId: null,
      defaultMethod: 'compresskv',
      defaultBudget: 256,
      chunkSize: 256,
    });
    expect(store.settings.value('defaultMethod')).toBe('compresskv');
    store.dispose();
  });

  it('saves a valid patch and reads it back after a restart', () => {
    const path = join(tempDir(), 'lib.sqlite');
    const store = openStore(path);
    const after = store.settings.set({
      executionProvider: 'cuda',
      defaultBudget: 1024,
      activeModelId: 'qwen-1',
    });
    expect(after).toMatchObject({
      executionProvider: 'cuda',
      defaultBudget: 1024,
      activeModelId: 'qwen-1',
      chunkSize: 256,
    });
    store.dispose();
    const again = openStore(path);
    expect(again.settings.get()).toMatchObject({
      executionProvider: 'cuda',
      defaultBudget: 1024,
      activeModelId: 'qwen-1',
    });
    again.settings.set({ activeModelId: null });
    expect(again.settings.value('activeModelId')).toBeNull();
    expect(again.settings.reset(['executionProvider']).executionProvider).toBe('auto');
    expect(again.settings.reset()).toEqual(STORED_SETTINGS_DEFAULTS);
    again.dispose();
  });

  it('rejects bad values with what is allowed, and writes nothing from a bad patch', () => {
    const store = openStore(':memory:');
    const provider = errorOf(() => store.settings.set({ executionProvider: 'tpu' }));
    expect(provider.code).toBe('invalid-argument');
    expect(provider.message).toContain('auto, cpu, cuda, dml, coreml, webgpu');
    expect(errorOf(() => store.settings.set({ defaultMethod: 'magic' })).message).toContain(
      'compresskv, snapkv, pyramidkv, h2o, streamingllm, full',
    );
    expect(errorOf(() => store.settings.set({ defaultBudget: 8 })).message).toMatch(
      /whole number from 32 to/,
    );
    expect(errorOf(() => store.settings.set({ chunkSize: 12.5 })).message).toMatch(
      /chunkSize.*from 16 to 8192/,
    );
    expect(errorOf(() => store.settings.set({ maxNewTokens: 0 })).message).toMatch(
      /from 1 to 4096/,
    );
    expect(errorOf(() => store.settings.set({ activeModelId: '' })).message).toMatch(/model id/);
    const unknown = errorOf(() => store.settings.set({ theme: 'dark' }));
    expect(unknown.message).toContain('Unknown setting "theme"');
    expect(unknown.message).toContain('executionProvider, maxNewTokens');
    expect(errorOf(() => store.settings.set(null)).code).toBe('invalid-argument');
    // The good key in a patch with a bad one is not written either.
    expect(() => store.settings.set({ chunkSize: 512, defaultBudget: -1 })).toThrow(KvLensError);
    expect(store.settings.get()).toEqual(STORED_SETTINGS_DEFAULTS);
    store.dispose();
  });

  it('reads a hand-edited bad value as its default without losing the others', () => {
    const path = join(tempDir(), 'lib.sqlite');
    openStore(path).dispose();
    const db = new Database(path);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(
      'executionProvider',
      '"quantum"',
    );
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('chunkSize', 'not json');
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('defaultBudget', '2048');
    db.close();
    const store = openStore(path);
    expect(store.settings.get()).toMatchObject({
      executionProvider: 'auto',
      chunkSize: 256,
      defaultBudget: 2048,
    });
    store.dispose();
  });
});
