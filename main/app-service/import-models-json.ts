/**
 * One-time move of the model list an older KV Lens kept in `<dataDir>/models.json` (a JSON array
 * of model folder paths) into the library's models table.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const MODELS_JSON = 'models.json';
/** What models.json is renamed to once imported: kept, not deleted, but never read again. */
export const MODELS_JSON_IMPORTED = 'models.json.imported';

/**
 * Calls `add` for every folder path in `<dataDir>/models.json`, then renames the file so the
 * import runs once; returns how many paths it found. An unreadable file is left where it is
 * (nothing lost) and imports nothing.
 */
export function importModelsJson(dataDir: string, add: (dir: string) => void): number {
  const path = join(dataDir, MODELS_JSON);
  if (!existsSync(path)) return 0;
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return 0;
  }
  if (!Array.isArray(list)) return 0;
  const dirs = list.filter((d): d is string => typeof d === 'string' && d.trim() !== '');
  for (const dir of dirs) add(dir);
  // Renamed only after every row is in, so a crash before this line imports again (upserts).
  renameSync(path, join(dataDir, MODELS_JSON_IMPORTED));
  return dirs.length;
}
