/**
 * Per-probe results saved as they complete (JSON lines), so an interrupted calibration resumes
 * where it stopped: a rerun with the same settings key skips the probes already in the file.
 *
 * One file per kind and settings key under `<calibration folder>/work/`; a record is found by
 * its probe id (length, depth, needle), so changing the probe grid reuses the overlap.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** First 16 hex digits of the sha256 of the JSON of `settings`. */
export function settingsKey(settings: unknown): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

export class ProbeStore<T extends { id: string }> {
  readonly path: string;
  private readonly done = new Map<string, T>();

  constructor(dir: string, kind: string, key: string) {
    mkdirSync(join(dir, 'work'), { recursive: true });
    this.path = join(dir, 'work', `${kind}-${key}.jsonl`);
    if (!existsSync(this.path)) return;
    const text = readFileSync(this.path, 'utf8');
    // Close a line cut short by a kill mid-write, so the next record starts on its own line.
    if (text !== '' && !text.endsWith('\n')) appendFileSync(this.path, '\n');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const rec = JSON.parse(line) as T;
        if (typeof rec.id === 'string') this.done.set(rec.id, rec);
      } catch {
        // A line cut short by a kill mid-write: that probe simply runs again.
      }
    }
  }

  get(id: string): T | undefined {
    return this.done.get(id);
  }

  /** Records a finished probe (appended and flushed before returning). */
  add(rec: T): void {
    appendFileSync(this.path, `${JSON.stringify(rec)}\n`);
    this.done.set(rec.id, rec);
  }
}
