/**
 * "Calibrate" in the app: finds the model's semantic retrieval heads and layer errors with the
 * engine's calibration (resumable; writes into the model's calibration folder or the cache),
 * reporting probe i of n with an ETA, cancellable through the task.
 */
import type { Progress } from '../../../app/ipc/views';
import type { ExecutionProvider } from '../../../app/settings/settings';
import type { ModelInfo } from '../../../app/ipc/views';
import { calibrate } from '../../engine/calibration/calibrate';
import type { ModelRegistry } from '../model-registry';
import type { TaskRegistry } from '../task-registry';

/** Runs the calibration of `model` as task `taskId`; the registry shows it as running. */
export async function runCalibration(
  model: ModelInfo,
  taskId: string,
  tasks: TaskRegistry,
  models: ModelRegistry,
  provider: ExecutionProvider,
  sink: (p: Progress) => void,
): Promise<void> {
  models.setCalibrating(model.id, true);
  try {
    await tasks.run(taskId, 'calibrate', `Calibrating ${model.name}`, 'probes', sink, (task) =>
      calibrate(model.dir, {
        provider,
        signal: task.signal,
        onProgress: (p) =>
          task.progress(
            p.done,
            p.total,
            `Calibrating ${model.name}: ${p.phase === 'heads' ? 'retrieval heads' : 'layer errors'}`,
            'probes',
            p.etaMs,
          ),
        onBuildProgress: (p) =>
          task.progress(
            p.done,
            p.total,
            `Preparing the model: ${p.message}`,
            p.phase === 'hash' ? 'bytes' : 'steps',
          ),
      }),
    );
    models.setCalibrating(model.id, false);
    models.markCalibrated(model.id);
  } catch (err) {
    const cancelled = (err as { code?: string }).code === 'cancelled';
    const message = err instanceof Error ? err.message : String(err);
    if (cancelled) models.setCalibrating(model.id, false);
    else models.setCalibrating(model.id, false, message);
    throw err;
  }
}
