/**
 * Validation of every request's arguments as they arrive on the main side.
 *
 * The renderer is treated as untrusted: each validator checks types, ranges and unknown keys and
 * returns a fresh object holding only the contract's fields.
 */
import { EXECUTION_PROVIDERS, MAX_NEW_TOKENS_LIMIT, type Settings } from '../settings/settings';
import { COMPRESSION_METHODS, type CompressionMethod } from '../chat/compression-methods';
import type { DocumentSource, RequestArgs, RequestChannel } from './contract';
import * as c from './checks';

/** Largest upload accepted over the wire; the documents module applies its own limits after. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
export const MAX_QUESTION_CHARS = 8000;
export const MAX_PATH_CHARS = 4096;
/** Page index ceiling: far above any PDF's page count (the library checks the real one). */
export const MAX_PAGE_INDEX = 1_000_000;
/** Budget ceiling: far above any context window the engine supports. */
export const MAX_BUDGET = 1 << 22;

const METHOD_IDS: readonly CompressionMethod[] = COMPRESSION_METHODS.map((m) => m.id);

type Validators = { [C in RequestChannel]: (raw: unknown) => RequestArgs<C> };

function fields(channel: string, raw: unknown, keys: readonly string[]): c.Record_ {
  const o = c.object(channel, raw === undefined ? {} : raw);
  c.onlyKeys(channel, o, keys);
  return o;
}

function noArgs(channel: string) {
  return (raw: unknown): Record<string, never> => {
    fields(channel, raw, []);
    return {};
  };
}

function source(where: string, raw: unknown): DocumentSource {
  const o = c.object(where, raw);
  const kind = c.oneOf(`${where}.kind`, o.kind, ['path', 'upload'] as const);
  if (kind === 'path') {
    c.onlyKeys(where, o, ['kind', 'path']);
    return { kind, path: c.string(`${where}.path`, o.path, MAX_PATH_CHARS) };
  }
  c.onlyKeys(where, o, ['kind', 'name', 'bytes']);
  if (!(o.bytes instanceof Uint8Array)) {
    c.invalid(`${where}.bytes`, `expected the file's bytes, got ${c.describe(o.bytes)}.`);
  }
  if (o.bytes.length > MAX_UPLOAD_BYTES) {
    c.invalid(
      `${where}.bytes`,
      `${o.bytes.length} bytes exceeds the ${MAX_UPLOAD_BYTES}-byte upload limit.`,
    );
  }
  // Only the base name is kept: an uploaded name must never steer where the host writes.
  const name = c.string(`${where}.name`, o.name, 255).split(/[\\/]/).pop() ?? 'document';
  return { kind, name: name.length > 0 ? name : 'document', bytes: o.bytes };
}

function settingsPatch(where: string, raw: unknown): Partial<Settings> {
  const o = c.object(where, raw);
  c.onlyKeys(where, o, ['executionProvider', 'maxNewTokens', 'activeModelId']);
  const patch: Partial<Settings> = {};
  if (o.executionProvider !== undefined) {
    patch.executionProvider = c.oneOf(
      `${where}.executionProvider`,
      o.executionProvider,
      EXECUTION_PROVIDERS,
    );
  }
  if (o.maxNewTokens !== undefined) {
    patch.maxNewTokens = c.integer(
      `${where}.maxNewTokens`,
      o.maxNewTokens,
      1,
      MAX_NEW_TOKENS_LIMIT,
    );
  }
  if (o.activeModelId !== undefined) {
    patch.activeModelId = c.nullable(o.activeModelId, (v) => c.id(`${where}.activeModelId`, v));
  }
  return patch;
}

const method = (ch: string, v: unknown) => c.oneOf(`${ch}.method`, v, METHOD_IDS);
const budget = (ch: string, v: unknown) => c.integer(`${ch}.budget`, v, 1, MAX_BUDGET);

export const VALIDATORS: Validators = {
  'app:getState': noArgs('app:getState'),
  'document:open': (raw) => {
    const ch = 'document:open';
    const o = fields(ch, raw, ['source', 'password', 'taskId']);
    return {
      source: source(`${ch}.source`, o.source),
      password: c.nullable(o.password ?? null, (v) => c.string(`${ch}.password`, v, 1024)),
      taskId: c.id(`${ch}.taskId`, o.taskId),
    };
  },
  'document:list': noArgs('document:list'),
  'document:get': (raw) => {
    const o = fields('document:get', raw, ['documentId']);
    return { documentId: c.id('document:get.documentId', o.documentId) };
  },
  'document:close': (raw) => {
    const o = fields('document:close', raw, ['documentId']);
    return { documentId: c.id('document:close.documentId', o.documentId) };
  },
  'document:getFile': (raw) => {
    const o = fields('document:getFile', raw, ['documentId']);
    return { documentId: c.id('document:getFile.documentId', o.documentId) };
  },
  'document:getPage': (raw) => {
    const ch = 'document:getPage';
    const o = fields(ch, raw, ['documentId', 'page']);
    return {
      documentId: c.id(`${ch}.documentId`, o.documentId),
      page: c.integer(`${ch}.page`, o.page, 0, MAX_PAGE_INDEX),
    };
  },
  'task:cancel': (raw) => {
    const o = fields('task:cancel', raw, ['taskId']);
    return { taskId: c.id('task:cancel.taskId', o.taskId) };
  },
  'chat:ask': (raw) => {
    const ch = 'chat:ask';
    const o = fields(ch, raw, [
      'documentId',
      'conversationId',
      'question',
      'method',
      'budget',
      'taskId',
    ]);
    const question = c.string(`${ch}.question`, o.question, MAX_QUESTION_CHARS);
    if (question.trim().length === 0) c.invalid(`${ch}.question`, 'must contain some text.');
    return {
      documentId: c.id(`${ch}.documentId`, o.documentId),
      conversationId: c.nullable(o.conversationId ?? null, (v) => c.id(`${ch}.conversationId`, v)),
      question,
      method: method(ch, o.method),
      budget: budget(ch, o.budget),
      taskId: c.id(`${ch}.taskId`, o.taskId),
    };
  },
  'chat:stop': (raw) => {
    const o = fields('chat:stop', raw, ['conversationId']);
    return {
      conversationId: c.nullable(o.conversationId ?? null, (v) =>
        c.id('chat:stop.conversationId', v),
      ),
    };
  },
  'chat:regenerate': (raw) => {
    const ch = 'chat:regenerate';
    const o = fields(ch, raw, ['conversationId', 'method', 'budget', 'taskId']);
    return {
      conversationId: c.id(`${ch}.conversationId`, o.conversationId),
      method: method(ch, o.method),
      budget: budget(ch, o.budget),
      taskId: c.id(`${ch}.taskId`, o.taskId),
    };
  },
  'retention:select': (raw) => {
    const ch = 'retention:select';
    const o = fields(ch, raw, ['conversationId', 'method', 'budget', 'withLayout']);
    return {
      conversationId: c.id(`${ch}.conversationId`, o.conversationId),
      method: method(ch, o.method),
      budget: budget(ch, o.budget),
      withLayout: o.withLayout === undefined ? false : c.boolean(`${ch}.withLayout`, o.withLayout),
    };
  },
  'conversation:list': (raw) => {
    const o = fields('conversation:list', raw, ['documentId']);
    return {
      documentId: c.nullable(o.documentId ?? null, (v) => c.id('conversation:list.documentId', v)),
    };
  },
  'conversation:get': (raw) => {
    const o = fields('conversation:get', raw, ['conversationId']);
    return { conversationId: c.id('conversation:get.conversationId', o.conversationId) };
  },
  'conversation:delete': (raw) => {
    const o = fields('conversation:delete', raw, ['conversationId']);
    return { conversationId: c.id('conversation:delete.conversationId', o.conversationId) };
  },
  'model:list': noArgs('model:list'),
  'model:import': (raw) => {
    const o = fields('model:import', raw, ['path', 'taskId']);
    return {
      path: c.string('model:import.path', o.path, MAX_PATH_CHARS),
      taskId: c.id('model:import.taskId', o.taskId),
    };
  },
  'model:calibrate': (raw) => {
    const o = fields('model:calibrate', raw, ['modelId', 'taskId']);
    return {
      modelId: c.id('model:calibrate.modelId', o.modelId),
      taskId: c.id('model:calibrate.taskId', o.taskId),
    };
  },
  'settings:get': noArgs('settings:get'),
  'settings:set': (raw) => {
    const o = fields('settings:set', raw, ['patch']);
    return { patch: settingsPatch('settings:set.patch', o.patch) };
  },
};

/** Validates the raw arguments of a request channel; throws KvLensError('invalid-argument'). */
export function validateArgs<C extends RequestChannel>(channel: C, raw: unknown): RequestArgs<C> {
  return VALIDATORS[channel](raw) as RequestArgs<C>;
}
