/**
 * Defaults and validation of every stored setting. Every value is checked on write (and on
 * read, so a hand-edited or older row cannot reach the engine); messages list what is allowed.
 */
import { KvLensError } from '../../../app/errors';
import {
  COMPRESSION_METHODS,
  DEFAULT_BUDGET,
  DEFAULT_METHOD,
  MIN_BUDGET,
} from '../../../app/chat/compression-methods';
import { MAX_BUDGET } from '../../../app/ipc/validate-args';
import {
  DEFAULT_SETTINGS,
  EXECUTION_PROVIDERS,
  MAX_NEW_TOKENS_LIMIT,
} from '../../../app/settings/settings';
import type { StoredSettingKey, StoredSettings } from '../../../app/store/records';

export const STORED_SETTINGS_DEFAULTS: Readonly<StoredSettings> = {
  ...DEFAULT_SETTINGS,
  defaultMethod: DEFAULT_METHOD,
  defaultBudget: DEFAULT_BUDGET,
  chunkSize: 256,
};

/** Prefill chunk bounds: below 16 the per-call overhead dominates, above 8192 memory does. */
export const MIN_CHUNK_SIZE = 16;
export const MAX_CHUNK_SIZE = 8192;
const MAX_MODEL_ID_CHARS = 128;

type Rule<K extends StoredSettingKey> = (value: unknown) => StoredSettings[K];
const RULES: { [K in StoredSettingKey]: Rule<K> } = {
  executionProvider: (v) => oneOf('executionProvider', v, EXECUTION_PROVIDERS),
  maxNewTokens: (v) => integer('maxNewTokens', v, 1, MAX_NEW_TOKENS_LIMIT),
  activeModelId: (v) => {
    if (v === null) return null;
    if (typeof v === 'string' && v.length > 0 && v.length <= MAX_MODEL_ID_CHARS) return v;
    return reject('activeModelId', v, `a model id (1 to ${MAX_MODEL_ID_CHARS} characters) or null`);
  },
  defaultMethod: (v) =>
    oneOf(
      'defaultMethod',
      v,
      COMPRESSION_METHODS.map((m) => m.id),
    ),
  defaultBudget: (v) => integer('defaultBudget', v, MIN_BUDGET, MAX_BUDGET),
  chunkSize: (v) => integer('chunkSize', v, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE),
};

export const STORED_SETTING_KEYS = Object.keys(RULES) as StoredSettingKey[];

/** Whether a string names a stored setting. */
export function isStoredSettingKey(key: string): key is StoredSettingKey {
  return Object.hasOwn(RULES, key);
}

/**
 * Checks a patch of settings: every key known, every value allowed. Returns a fresh object with
 * only the checked fields; throws KvLensError('invalid-argument') naming the key and what is allowed.
 */
export function validateSettingsPatch(patch: unknown): Partial<StoredSettings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new KvLensError('invalid-argument', 'Settings must be given as an object of key: value.');
  }
  const out: Partial<StoredSettings> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!isStoredSettingKey(key)) {
      throw new KvLensError(
        'invalid-argument',
        `Unknown setting "${key}". Settings are: ${STORED_SETTING_KEYS.join(', ')}.`,
        { key },
      );
    }
    // Each key's rule returns that key's type; TypeScript cannot follow the pairing through a loop.
    (out as Record<string, unknown>)[key] = RULES[key](value);
  }
  return out;
}

/** Validates one value for `key` (same rules as validateSettingsPatch). */
export function validateSetting<K extends StoredSettingKey>(
  key: K,
  value: unknown,
): StoredSettings[K] {
  return RULES[key](value);
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  return reject(key, value, `one of ${allowed.join(', ')}`);
}

function integer(key: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  return reject(key, value, `a whole number from ${min} to ${max}`);
}

function reject(key: string, value: unknown, allowed: string): never {
  const shown = JSON.stringify(value) ?? String(value);
  throw new KvLensError(
    'invalid-argument',
    `Setting "${key}" cannot be ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}: it must be ${allowed}.`,
    { key },
  );
}
