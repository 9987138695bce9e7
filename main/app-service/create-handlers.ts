/**
 * One handler per contract channel, over the service's parts. Arguments arrive validated.
 */
import type { RequestHandlers } from '../../app/ipc/contract';
import type { ServiceParts } from './app-service';

/** Builds the handler map; every channel of the contract must appear (checked by the type). */
export function createHandlers(p: ServiceParts): RequestHandlers {
  const changed = () => p.emit('app:onStateChanged', p.state());
  return {
    'app:getState': async () => p.state(),

    'document:open': async ({ source, password, taskId }) => {
      const summary = await p.tasks.run(
        taskId,
        'ingest',
        source.kind === 'path' ? `Reading ${source.path}` : `Reading ${source.name}`,
        'pages',
        (progress) => p.emit('document:onProgress', progress),
        (task) => p.documents.open(source, password, task),
      );
      changed();
      return summary;
    },
    'document:list': async () => p.documents.list(),
    'document:getFile': async ({ documentId }) => ({ bytes: await p.documents.file(documentId) }),
    'document:getPage': async ({ documentId, page }) => p.documents.page(documentId, page),
    'document:get': async ({ documentId }) => p.documents.content(documentId),
    'document:close': async ({ documentId }) => {
      p.chat.forgetDocument(documentId);
      // Its conversations go with it (the database cascades the delete).
      p.documents.close(documentId);
      changed();
    },
    'task:cancel': async ({ taskId }) => ({ cancelled: p.tasks.cancel(taskId) }),

    'chat:ask': async (args) => {
      const result = await p.chat.ask(args);
      changed();
      return result;
    },
    'chat:stop': async ({ conversationId }) => ({ stopped: p.chat.stop(conversationId) }),
    'chat:regenerate': async (args) => p.chat.regenerate(args),
    'retention:select': async (args) => p.chat.select(args),

    'conversation:list': async ({ documentId }) => p.conversations.list(documentId),
    'conversation:get': async ({ conversationId }) => p.conversations.get(conversationId),
    'conversation:delete': async ({ conversationId }) => {
      p.chat.stop(conversationId);
      p.conversations.delete(conversationId);
      changed();
    },

    'model:list': async () => p.models.list(),
    'model:import': async ({ path, taskId }) => {
      const info = await p.tasks.run(
        taskId,
        'load',
        `Checking ${path}`,
        'steps',
        (progress) => p.emit('model:onProgress', progress),
        async (task) => {
          task.progress(0, 1);
          const model = p.models.import(path);
          task.progress(1, 1);
          return model;
        },
      );
      changed();
      return info;
    },
    'model:calibrate': async ({ modelId, taskId }) => {
      const info = await p.chat.calibrate(modelId, taskId);
      changed();
      return info;
    },

    'settings:get': async () => p.settings.get(),
    'settings:set': async ({ patch }) => {
      if (patch.activeModelId) p.models.get(patch.activeModelId);
      const next = p.settings.set(patch);
      changed();
      return next;
    },
  };
}
