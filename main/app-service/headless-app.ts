/**
 * The app without a window: an AppService with a memory-only library and settings, whose default
 * model is the given folder. The CLI's `ask` and the samples benchmark drive it with the same
 * requests the window sends (through `dispatch`, so the arguments pass the IPC validators too).
 */
import { KvLensError } from '../../app/errors';
import type { ModelInfo } from '../../app/ipc/views';
import type { Settings } from '../../app/settings/settings';
import { AppService } from './app-service';
import { APP_VERSION } from './app-version';

export interface HeadlessApp {
  service: AppService;
  /** The model new questions go to (the folder given, as the app resolves its default model). */
  model: ModelInfo;
}

/** Starts the service and checks the model folder; disposes the service when that fails. */
export async function openHeadlessApp(
  modelDir: string,
  settings: Partial<Settings>,
): Promise<HeadlessApp> {
  const service = new AppService({
    mode: 'desktop',
    version: APP_VERSION,
    dataDir: null,
    demoModelDir: modelDir,
    samplesDir: null,
  });
  try {
    await service.dispatch('settings:set', { patch: settings });
    const models = (await service.dispatch('model:list', {})) as ModelInfo[];
    const model = models.find((m) => m.isDefault);
    if (!model) {
      throw new KvLensError(
        'not-found',
        `No model in ${modelDir}: it needs a readable config.json (a Hugging Face model folder).`,
      );
    }
    return { service, model };
  } catch (err) {
    service.dispose();
    throw err;
  }
}
