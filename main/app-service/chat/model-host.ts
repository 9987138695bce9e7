/**
 * Keeps one loaded model (graph + session + tokenizer) at a time, keyed by model folder and
 * execution provider; switching either releases the previous one first, since two sessions of
 * a large model may not fit in memory.
 */
import { loadModel, type LoadedModel } from '../../engine/load-model';
import type { ProviderChoice } from '../../engine/runtime/providers';
import type { TaskHandle } from '../task-registry';

export class ModelHost {
  private current: { key: string; model: Promise<LoadedModel> } | null = null;

  /** The model for (dir, provider), loading it with graph-build progress when needed. */
  async get(dir: string, provider: ProviderChoice, task: TaskHandle): Promise<LoadedModel> {
    const key = `${dir}\n${provider}`;
    if (this.current?.key === key) {
      try {
        return await this.current.model;
      } catch {
        // A failed load is not cached: the next question tries again.
        this.current = null;
      }
    }
    await this.release();
    const model = loadModel(dir, {
      provider,
      onProgress: (p) =>
        task.progress(
          p.done,
          p.total,
          `Preparing the model: ${p.message}`,
          p.phase === 'hash' ? 'bytes' : 'steps',
        ),
    });
    this.current = { key, model };
    try {
      return await model;
    } catch (err) {
      if (this.current?.model === model) this.current = null;
      throw err;
    }
  }

  /** Releases the loaded model (its session); safe to call when none is loaded. */
  async release(): Promise<void> {
    const previous = this.current;
    this.current = null;
    if (!previous) return;
    const model = await previous.model.catch(() => null);
    await model?.dispose();
  }
}
