/**
 * The main-side implementation of the IPC contract. Transport-neutral: the browser-mode server,
 * the Electron utility process and tests all call `dispatch`, which validates the raw arguments
 * and runs the channel's handler; events go to every `onEvent` listener.
 */
import { KvLensError } from '../../app/errors';
import {
  isRequestChannel,
  type EmitEvent,
  type EventChannel,
  type EventPayload,
  type RequestHandlers,
} from '../../app/ipc/contract';
import { validateArgs } from '../../app/ipc/validate-args';
import type { AppMode, AppState } from '../../app/ipc/views';
import { ConversationBook } from './conversation-book';
import { ModelRegistry } from './model-registry';
import { AppSettings } from './app-settings';
import { openStore, type Store } from '../store/open-store';
import { defaultStorePath } from '../store/data-dir';
import { DocumentFiles } from '../store/document-files';
import { TaskRegistry } from './task-registry';
import { DocumentLibrary } from './document-library';
import { ChatRunner } from './chat/chat-runner';
import { createHandlers } from './create-handlers';
import { offerWelcomeSample } from './welcome-sample';

export interface AppServiceOptions {
  mode: AppMode;
  version: string;
  /** User-data folder (library database, document copies); null = memory only. */
  dataDir: string | null;
  /** The bundled demo model's folder (the default model). */
  demoModelDir: string;
  /**
   * The sample PDFs' folder: a new library opens the first one (welcome-sample.ts). Absent or
   * null: no sample (tests and tools that want an empty library).
   */
  samplesDir?: string | null;
  /** Where notices that need no answer go (a missing sample); stderr when absent. */
  log?: (message: string) => void;
}

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

/** Everything a handler may use; one instance per running app. */
export interface ServiceParts {
  options: AppServiceOptions;
  store: Store;
  settings: AppSettings;
  models: ModelRegistry;
  conversations: ConversationBook;
  tasks: TaskRegistry;
  documents: DocumentLibrary;
  chat: ChatRunner;
  emit: EmitEvent;
  state(): AppState;
}

export class AppService {
  readonly handlers: RequestHandlers;
  /** Settles when the start's own work (the sample on a first start) is over; never rejects. */
  readonly started: Promise<void>;
  private readonly listeners = new Set<EventListener>();
  private readonly parts: ServiceParts;
  private disposed = false;

  constructor(options: AppServiceOptions) {
    const emit: EmitEvent = (channel, payload) => {
      for (const listener of this.listeners) listener(channel, payload);
    };
    const store = openStore(
      options.dataDir === null ? ':memory:' : defaultStorePath(options.dataDir),
    );
    const settings = new AppSettings(store.settings);
    const models = new ModelRegistry(options.demoModelDir, store.models, options.dataDir);
    const conversations = new ConversationBook(store);
    const tasks = new TaskRegistry();
    const files = options.dataDir === null ? null : new DocumentFiles(options.dataDir);
    const documents = new DocumentLibrary(store, files);
    const notices: string[] = [];
    if (store.corruption) notices.push(store.corruption.message);
    if (store.recoveredMessages > 0) {
      notices.push(
        `${store.recoveredMessages} answer(s) were cut off when KV Lens last stopped; their saved text is kept, marked stopped.`,
      );
    }
    const chat = new ChatRunner({ models, settings, documents, conversations, tasks, emit });
    const parts: ServiceParts = {
      options,
      store,
      settings,
      models,
      conversations,
      tasks,
      documents,
      chat,
      emit,
      state: () => ({
        version: options.version,
        mode: options.mode,
        settings: settings.get(),
        models: models.list(),
        documents: documents.list(),
        conversations: conversations.list(null),
        unavailable: chat.unavailable(),
        notices,
      }),
    };
    this.parts = parts;
    this.handlers = createHandlers(parts);
    const samplesDir = options.samplesDir ?? null;
    this.started =
      samplesDir === null
        ? Promise.resolve()
        : offerWelcomeSample({
            dataDir: options.dataDir,
            samplesDir,
            documents,
            // Through the request's handler, so the window sees progress and the new state.
            open: (source, taskId) =>
              this.handlers['document:open']({ source, password: null, taskId }),
            alive: () => !this.disposed,
            log: options.log ?? ((m) => process.stderr.write(`${m}\n`)),
          }).then(() => undefined);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs one request from an untrusted caller: the channel must be in the contract and the
   * arguments pass its validator before any handler sees them.
   */
  async dispatch(channel: unknown, rawArgs: unknown): Promise<unknown> {
    if (!isRequestChannel(channel)) {
      throw new KvLensError(
        'invalid-argument',
        `Unknown request channel ${JSON.stringify(channel)}.`,
      );
    }
    const args = validateArgs(channel, rawArgs);
    const handler = this.handlers[channel] as (a: unknown) => Promise<unknown>;
    return handler(args);
  }

  dispose(): void {
    this.disposed = true;
    this.parts.tasks.dispose();
    this.parts.chat.dispose();
    this.parts.documents.dispose();
    this.parts.store.dispose();
    this.listeners.clear();
  }
}
