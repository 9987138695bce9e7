/**
 * Model folders the app knows, the default first, then most recently added.
 */
import type { CalibrationState } from '../../../app/ipc/views';
import type { ModelRecord, NewModel } from '../../../app/store/records';
import { notFound, type StoreContext } from './store-context';

interface ModelRow {
  id: string;
  name: string;
  dir: string;
  is_default: number;
  added_at: number;
  calibration: CalibrationState;
  calibration_note: string | null;
}

const COLUMNS = 'id, name, dir, is_default, added_at, calibration, calibration_note';
const ORDER = 'ORDER BY is_default DESC, added_at DESC, rowid DESC';
const HINT = 'use "Import model folder" to add it again.';

export class ModelRepository {
  constructor(private readonly ctx: StoreContext) {}

  /** Adds a model, or refreshes name/dir of a known id (re-importing keeps its added time). */
  upsert(model: NewModel): ModelRecord {
    this.ctx.db.transaction(() => {
      if (model.isDefault) this.ctx.db.prepare('UPDATE models SET is_default = 0').run();
      this.ctx.db
        .prepare(
          `INSERT INTO models (${COLUMNS}) VALUES (@id, @name, @dir, @isDefault, @addedAt, @calibration, @calibrationNote)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, dir = excluded.dir, is_default = excluded.is_default`,
        )
        .run({
          id: model.id,
          name: model.name,
          dir: model.dir,
          isDefault: model.isDefault ? 1 : 0,
          addedAt: this.ctx.now(),
          calibration: model.calibration ?? 'missing',
          calibrationNote: model.calibrationNote ?? null,
        });
    })();
    return this.get(model.id);
  }

  get(id: string): ModelRecord {
    const found = this.find(id);
    if (!found) throw notFound('model', id, HINT);
    return found;
  }

  find(id: string): ModelRecord | null {
    const row = this.ctx.db.prepare(`SELECT ${COLUMNS} FROM models WHERE id = ?`).get(id);
    return row ? fromRow(row as ModelRow) : null;
  }

  /** The default model first, then newest imports. */
  list(): ModelRecord[] {
    return (this.ctx.db.prepare(`SELECT ${COLUMNS} FROM models ${ORDER}`).all() as ModelRow[]).map(
      fromRow,
    );
  }

  /** Makes `id` the only default model. */
  setDefault(id: string): ModelRecord {
    this.ctx.db.transaction(() => {
      this.get(id);
      this.ctx.db.prepare('UPDATE models SET is_default = 0 WHERE is_default = 1').run();
      this.ctx.db.prepare('UPDATE models SET is_default = 1 WHERE id = ?').run(id);
    })();
    return this.get(id);
  }

  /** Records the calibration state shown in the model picker. */
  setCalibration(id: string, state: CalibrationState, note: string | null = null): ModelRecord {
    const changes = this.ctx.db
      .prepare('UPDATE models SET calibration = ?, calibration_note = ? WHERE id = ?')
      .run(state, note, id).changes;
    if (changes === 0) throw notFound('model', id, HINT);
    return this.get(id);
  }

  /** Forgets a model folder (its files and the conversations that used it stay). */
  delete(id: string): void {
    const changes = this.ctx.db.prepare('DELETE FROM models WHERE id = ?').run(id).changes;
    if (changes === 0) throw notFound('model', id, HINT);
  }

  /**
   * A calibration a crash interrupted left 'running'; mark it 'failed' with a note saying to run
   * it again. Returns how many. Run once at open.
   */
  recoverInterrupted(): number {
    return this.ctx.db
      .prepare(
        "UPDATE models SET calibration = 'failed', calibration_note = ? WHERE calibration = 'running'",
      )
      .run('Calibration was interrupted when KV Lens closed; run "Calibrate" again.').changes;
  }
}

function fromRow(row: ModelRow): ModelRecord {
  return {
    id: row.id,
    name: row.name,
    dir: row.dir,
    isDefault: row.is_default === 1,
    addedAt: row.added_at,
    calibration: row.calibration,
    calibrationNote: row.calibration_note,
  };
}
