/**
 * Settings as key -> JSON value rows, read back as one typed object with defaults filled in.
 */
import type { StoredSettingKey, StoredSettings } from '../../../app/store/records';
import {
  STORED_SETTINGS_DEFAULTS,
  isStoredSettingKey,
  validateSetting,
  validateSettingsPatch,
} from './settings-rules';
import type { StoreContext } from './store-context';

export class SettingsRepository {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Every setting: stored values over the defaults. A stored value that no longer passes the
   * rules (a hand edit, a removed choice) reads as its default instead of reaching the engine.
   */
  get(): StoredSettings {
    const out: StoredSettings = { ...STORED_SETTINGS_DEFAULTS };
    const rows = this.ctx.db.prepare('SELECT key, value FROM settings').all() as {
      key: string;
      value: string;
    }[];
    for (const { key, value } of rows) {
      if (!isStoredSettingKey(key)) continue;
      try {
        assign(out, key, validateSetting(key, JSON.parse(value) as unknown));
      } catch {
        // Keep the default; the row stays so nothing the user wrote is thrown away.
      }
    }
    return out;
  }

  /** One setting's current value. */
  value<K extends StoredSettingKey>(key: K): StoredSettings[K] {
    return this.get()[key];
  }

  /**
   * Validates the whole patch first, then writes it in one transaction (all or nothing) and
   * returns the settings after the change. Throws KvLensError('invalid-argument') listing what
   * is allowed.
   */
  set(patch: unknown): StoredSettings {
    const checked = validateSettingsPatch(patch);
    const upsert = this.ctx.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.ctx.db.transaction(() => {
      for (const [key, value] of Object.entries(checked)) upsert.run(key, JSON.stringify(value));
    })();
    return this.get();
  }

  /** Returns the given settings (all when none given) to their defaults. */
  reset(keys: readonly StoredSettingKey[] | null = null): StoredSettings {
    if (keys === null) this.ctx.db.prepare('DELETE FROM settings').run();
    else {
      const del = this.ctx.db.prepare('DELETE FROM settings WHERE key = ?');
      this.ctx.db.transaction(() => keys.forEach((k) => del.run(k)))();
    }
    return this.get();
  }
}

function assign<K extends StoredSettingKey>(
  out: StoredSettings,
  key: K,
  value: StoredSettings[K],
): void {
  out[key] = value;
}
