/**
 * Long tasks the renderer can follow and cancel by id (ingestion, prefill, import, calibration).
 *
 * Each task gets an AbortController; `progress` turns "done of total" into Progress events with
 * an ETA from the average rate so far.
 */
import { CancelledError } from '../../app/errors';
import type { Progress, ProgressKind } from '../../app/ipc/views';

export interface TaskHandle {
  readonly id: string;
  readonly signal: AbortSignal;
  /**
   * Reports done of total (`total` 0 = unknown yet). A new `unit` or total starts a new phase
   * (e.g. hashing bytes, then running probes), so the ETA is not mixed across phases.
   */
  progress(done: number, total: number, label?: string, unit?: string, etaMs?: number): void;
  /** Throws CancelledError if the task was cancelled. */
  throwIfCancelled(): void;
}

type ProgressSink = (progress: Progress) => void;

export class TaskRegistry {
  private readonly tasks = new Map<string, AbortController>();

  /** Runs `work` as task `id`, reporting progress to `sink`; the task ends with the promise. */
  async run<T>(
    id: string,
    kind: ProgressKind,
    label: string,
    unit: string,
    sink: ProgressSink,
    work: (task: TaskHandle) => Promise<T>,
  ): Promise<T> {
    // A reused id means the renderer restarted the same task: the old one is superseded.
    this.tasks.get(id)?.abort();
    const controller = new AbortController();
    this.tasks.set(id, controller);
    // ETA from the rate since the phase's first report (work done before it is not timed).
    let phase = { start: Date.now(), firstDone: 0 };
    let last = { done: 0, total: 0, label, unit, given: undefined as number | undefined };
    const emit = (finished: boolean) => {
      const elapsed = Date.now() - phase.start;
      const { done, total, given } = last;
      const rated = done - phase.firstDone;
      let etaMs: number | null = null;
      if (!finished && given !== undefined && Number.isFinite(given)) etaMs = Math.round(given);
      else if (!finished && rated > 0 && total > done) {
        etaMs = Math.round((elapsed / rated) * (total - done));
      }
      sink({ taskId: id, kind, label: last.label, done, total, unit: last.unit, etaMs, finished });
    };
    const handle: TaskHandle = {
      id,
      signal: controller.signal,
      progress(done, total, newLabel, newUnit, etaMs) {
        const nextUnit = newUnit ?? last.unit;
        if (nextUnit !== last.unit || total !== last.total) {
          phase = { start: Date.now(), firstDone: done };
        }
        last = { done, total, label: newLabel ?? last.label, unit: nextUnit, given: etaMs };
        emit(false);
      },
      throwIfCancelled() {
        if (controller.signal.aborted) throw new CancelledError(label);
      },
    };
    emit(false);
    try {
      return await work(handle);
    } finally {
      if (this.tasks.get(id) === controller) this.tasks.delete(id);
      emit(true);
    }
  }

  /** Cancels a running task; false when no task has that id (already finished). */
  cancel(id: string): boolean {
    const controller = this.tasks.get(id);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** Cancels everything (shutdown). */
  dispose(): void {
    for (const controller of this.tasks.values()) controller.abort();
    this.tasks.clear();
  }
}
