/**
 * User settings shared by the desktop app, browser mode and the CLI defaults.
 *
 * Kept deliberately small: each field is something the user changes in the settings panel.
 */
export type ExecutionProvider = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';

export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = [
  'auto',
  'cpu',
  'cuda',
  'dml',
  'coreml',
  'webgpu',
];

export interface Settings {
  /** Execution provider asked for; the engine falls back to CPU and reports why. */
  executionProvider: ExecutionProvider;
  /** Upper bound on generated tokens per answer. */
  maxNewTokens: number;
  /** The model used for new questions (a ModelInfo id); null = the bundled demo model. */
  activeModelId: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  executionProvider: 'auto',
  maxNewTokens: 256,
  activeModelId: null,
};

/** Largest maxNewTokens the settings accept (the engine's own limits may be lower). */
export const MAX_NEW_TOKENS_LIMIT = 4096;

/** Merges a validated patch over current settings without mutating either. */
export function mergeSettings(current: Settings, patch: Partial<Settings>): Settings {
  const next: Settings = { ...current };
  if (patch.executionProvider !== undefined) next.executionProvider = patch.executionProvider;
  if (patch.maxNewTokens !== undefined) next.maxNewTokens = patch.maxNewTokens;
  if (patch.activeModelId !== undefined) next.activeModelId = patch.activeModelId;
  return next;
}
