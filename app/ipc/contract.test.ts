import { describe, it, expect } from 'vitest';
import { REQUEST_CHANNELS, EVENT_CHANNELS, isRequestChannel } from './contract';
import { VALIDATORS, validateArgs, MAX_QUESTION_CHARS } from './validate-args';
import { KvLensError } from '../errors';

function fails(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KvLensError);
    expect((err as KvLensError).code).toBe('invalid-argument');
    expect((err as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a validation error');
}

const ask = {
  documentId: 'doc-1',
  conversationId: null,
  question: 'Who signed the lease?',
  method: 'compresskv',
  budget: 128,
  taskId: 't1',
};

describe('IPC contract', () => {
  it('has noun:verb channel names and a validator for every request', () => {
    for (const ch of REQUEST_CHANNELS) {
      expect(ch).toMatch(/^[a-z]+:[a-z][A-Za-z]+$/);
      expect(typeof VALIDATORS[ch]).toBe('function');
    }
    for (const ch of EVENT_CHANNELS) expect(ch).toMatch(/^[a-z]+:on[A-Z][A-Za-z]+$/);
    expect(Object.keys(VALIDATORS).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(isRequestChannel('chat:ask')).toBe(true);
    expect(isRequestChannel('fs:readFile')).toBe(false);
  });

  it('accepts well-formed arguments and returns only contract fields', () => {
    expect(validateArgs('chat:ask', ask)).toEqual(ask);
    expect(validateArgs('app:getState', undefined)).toEqual({});
    const upload = validateArgs('document:open', {
      source: { kind: 'upload', name: '../../etc/report.pdf', bytes: new Uint8Array([1, 2]) },
      password: null,
      taskId: 'up-1',
    });
    expect(upload.source).toMatchObject({ kind: 'upload', name: 'report.pdf' });
    expect(validateArgs('settings:set', { patch: { executionProvider: 'webgpu' } })).toEqual({
      patch: { executionProvider: 'webgpu' },
    });
  });

  it('refuses bad types, ranges, unknown fields and unknown methods with readable messages', () => {
    fails(() => validateArgs('chat:ask', { ...ask, budget: 12.5 }), /chat:ask\.budget.*integer/);
    fails(() => validateArgs('chat:ask', { ...ask, budget: 0 }), /outside 1\.\./);
    fails(() => validateArgs('chat:ask', { ...ask, method: 'magic' }), /compresskv, snapkv/);
    fails(() => validateArgs('chat:ask', { ...ask, question: '   ' }), /some text/);
    fails(
      () => validateArgs('chat:ask', { ...ask, question: 'x'.repeat(MAX_QUESTION_CHARS + 1) }),
      /limit is 8000/,
    );
    fails(() => validateArgs('chat:ask', { ...ask, extra: 1 }), /unknown field "extra"/);
    fails(() => validateArgs('document:get', { documentId: '../x/y' }), /not an id/);
    fails(() => validateArgs('document:get', null), /expected an object/);
    fails(
      () =>
        validateArgs('document:open', {
          source: { kind: 'upload', name: 'a.pdf', bytes: [1, 2] },
          password: null,
          taskId: 'x',
        }),
      /file's bytes, got an array/,
    );
    fails(
      () => validateArgs('document:open', { source: { kind: 'url', path: 'x' }, taskId: 'x' }),
      /not one of: path, upload/,
    );
    fails(
      () => validateArgs('settings:set', { patch: { executionProvider: 'tpu' } }),
      /auto, cpu, cuda, dml, coreml, webgpu/,
    );
    fails(() => validateArgs('settings:set', { patch: { maxNewTokens: 0 } }), /outside 1\.\.4096/);
    fails(() => validateArgs('model:list', { x: 1 }), /allowed: none/);
  });

  it('checks the page view requests: a document id and a page index from 0', () => {
    expect(validateArgs('document:getPage', { documentId: 'doc-1', page: 0 })).toEqual({
      documentId: 'doc-1',
      page: 0,
    });
    expect(validateArgs('document:getFile', { documentId: 'doc-1' })).toEqual({
      documentId: 'doc-1',
    });
    fails(
      () => validateArgs('document:getPage', { documentId: 'doc-1', page: -1 }),
      /outside 0\.\./,
    );
    fails(() => validateArgs('document:getPage', { documentId: 'doc-1', page: 1.5 }), /integer/);
    fails(() => validateArgs('document:getPage', { documentId: 'doc-1' }), /page.*integer/);
    fails(() => validateArgs('document:getFile', { documentId: 'doc-1', path: '/etc' }), /"path"/);
  });
});
