/**
 * Writes a JSON file atomically (temp file + rename), so a killed run never leaves a half file
 * that a later load would reject.
 */
import { renameSync, writeFileSync } from 'node:fs';

/** Pretty JSON with a trailing newline at `path`. */
export function writeJsonFile(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}
