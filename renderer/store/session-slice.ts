/**
 * Connection, app state from the main side (models, settings, what is unavailable), progress of
 * long tasks, and the one readable error shown at the top.
 */
import { toErrorInfo } from '../../app/errors';
import type { ApiClient, ConnectionState } from '../api/api-client';
import type { AppState, ModelInfo, Progress } from '../../app/ipc/views';
import type { ExecutionProvider, Settings } from '../../app/settings/settings';
import type { SliceCreator } from './store-types';
import { newTaskId } from './task-id';

export interface SessionSlice {
  /** Desktop (Electron) or browser mode: decides pickers vs file inputs. */
  mode: 'desktop' | 'browser';
  connection: ConnectionState;
  app: AppState | null;
  models: ModelInfo[];
  settings: Settings | null;
  /** Running tasks by id (finished ones are dropped). */
  progress: Record<string, Progress>;
  error: string | null;
  /** Loads app state and subscribes to every event; returns the unsubscribe function. */
  init(): Promise<() => void>;
  showError(err: unknown): void;
  dismissError(): void;
  cancelTask(taskId: string): Promise<void>;
  setProvider(provider: ExecutionProvider): Promise<void>;
  selectModel(modelId: string): Promise<void>;
  importModel(path: string): Promise<void>;
  calibrate(modelId: string): Promise<void>;
  /** Desktop only: native pickers (null when cancelled or in browser mode). */
  pickDocument(): Promise<string | null>;
  pickModelFolder(): Promise<string | null>;
}

export function createSessionSlice(api: ApiClient): SliceCreator<SessionSlice> {
  return (set, get) => {
    const trackProgress = (p: Progress) =>
      set((s) => {
        const progress = { ...s.progress };
        if (p.finished) delete progress[p.taskId];
        else progress[p.taskId] = p;
        return { progress };
      });
    const applyState = async (app: AppState) => {
      set({ app, models: app.models, settings: app.settings, documents: app.documents });
      // A document opened from outside the page (the desktop menu) becomes the one shown.
      const first = app.documents[0];
      if (first && get().activeDocumentId === null && get().openingTaskId === null) {
        await get().selectDocument(first.id);
      }
    };
    const guarded = async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (err) {
        get().showError(err);
      }
    };

    return {
      mode: api.mode,
      connection: 'connecting',
      app: null,
      models: [],
      settings: null,
      progress: {},
      error: null,

      async init() {
        const offs = [
          api.onConnection((connection) => set({ connection })),
          api.on('app:onStateChanged', (app) => void applyState(app)),
          api.on('document:onProgress', trackProgress),
          api.on('model:onProgress', trackProgress),
          api.on('chat:onProgress', trackProgress),
          api.on('chat:onToken', (t) => get().receiveToken(t)),
          api.on('retention:onUpdate', (v) => get().receiveView(v)),
        ];
        await guarded(async () => {
          const app = await api.request('app:getState', {});
          set({ conversations: app.conversations });
          await applyState(app);
        });
        return () => offs.forEach((off) => off());
      },
      showError(err) {
        set({ error: toErrorInfo(err).message });
      },
      dismissError() {
        set({ error: null });
      },
      async cancelTask(taskId) {
        await guarded(async () => {
          await api.request('task:cancel', { taskId });
        });
      },
      async setProvider(executionProvider) {
        await guarded(async () => {
          set({ settings: await api.request('settings:set', { patch: { executionProvider } }) });
        });
      },
      async selectModel(activeModelId) {
        await guarded(async () => {
          set({ settings: await api.request('settings:set', { patch: { activeModelId } }) });
        });
      },
      async importModel(path) {
        await guarded(async () => {
          const model = await api.request('model:import', { path, taskId: newTaskId('import') });
          set({ models: await api.request('model:list', {}) });
          await get().selectModel(model.id);
        });
      },
      async calibrate(modelId) {
        await guarded(async () => {
          await api.request('model:calibrate', { modelId, taskId: newTaskId('calibrate') });
          set({ models: await api.request('model:list', {}) });
        });
      },
      pickDocument: () => api.pickDocument(),
      pickModelFolder: () => api.pickModelFolder(),
    };
  };
}
