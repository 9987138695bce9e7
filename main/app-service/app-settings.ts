/**
 * The app's settings, kept in the library database's settings table (validated there; a bad
 * stored value reads as its default).
 */
import type { Settings } from '../../app/settings/settings';
import type { SettingsRepository } from '../store/repositories/settings-repository';

export class AppSettings {
  constructor(private readonly repo: SettingsRepository) {}

  get(): Settings {
    const s = this.repo.get();
    return {
      executionProvider: s.executionProvider,
      maxNewTokens: s.maxNewTokens,
      activeModelId: s.activeModelId,
    };
  }

  /** Applies an already validated patch (the repository checks it again) and returns the result. */
  set(patch: Partial<Settings>): Settings {
    this.repo.set(patch);
    return this.get();
  }
}
