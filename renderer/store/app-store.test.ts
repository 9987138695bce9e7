import { describe, it, expect } from 'vitest';
import { createAppStore } from './app-store';
import { ScriptedApi } from '../test-support/scripted-api';
import { appState, CONTENT, conversation, message, view } from '../test-support/fixtures';
import { KvLensError } from '../../app/errors';

function setup() {
  const api = new ScriptedApi()
    .handle('app:getState', () => appState(true))
    .handle('document:get', () => CONTENT)
    .handle('conversation:list', () => []);
  return { api, store: createAppStore(api) };
}

/** A promise the test resolves by hand, to hold a request in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('app store', () => {
  it('loads app state and opens the first document on init', async () => {
    const { store } = setup();
    await store.getState().init();
    const s = store.getState();
    expect(s.models[0]?.id).toBe('demo-1');
    expect(s.activeDocumentId).toBe('doc-1');
    expect(s.content?.text).toContain('4417');
    expect(s.method).toBe('compresskv');
  });

  it('streams tokens into the stream buffer and ends with the stored conversation', async () => {
    const { api, store } = setup();
    const answer = deferred<void>();
    api
      .handle('chat:ask', async (args) => {
        expect(args).toMatchObject({
          documentId: 'doc-1',
          conversationId: null,
          method: 'compresskv',
        });
        api.emit('chat:onToken', {
          conversationId: 'conv-1',
          messageId: 'm2',
          index: 0,
          text: 'The ',
        });
        api.emit('chat:onToken', {
          conversationId: 'conv-1',
          messageId: 'm2',
          index: 1,
          text: 'code',
        });
        await answer.promise;
        return {
          conversationId: 'conv-1',
          question: message('user', 'm1', 'What is the code?'),
          answer: message('assistant', 'm2', 'The code is 4417.'),
        };
      })
      .handle('conversation:get', () =>
        conversation([
          message('user', 'm1', 'What is the code?'),
          message('assistant', 'm2', 'The code is 4417.'),
        ]),
      );
    await store.getState().init();
    const asking = store.getState().ask('What is the code?');
    await Promise.resolve();
    expect(store.getState().generating).toBe(true);
    expect(store.getState().messages.at(-1)?.text).toBe('What is the code?');
    expect(store.getState().stream.text).toBe('The code');
    answer.resolve();
    await asking;
    const s = store.getState();
    expect(s.generating).toBe(false);
    expect(s.activeConversationId).toBe('conv-1');
    expect(s.messages.map((m) => m.text)).toEqual(['What is the code?', 'The code is 4417.']);
  });

  it('keeps at most one live selection in flight while dragging; the latest budget wins', async () => {
    const { api, store } = setup();
    const pending: { budget: number; done: (v: ReturnType<typeof view>) => void }[] = [];
    api.handle('retention:select', (args) => {
      const d = deferred<ReturnType<typeof view>>();
      pending.push({ budget: args.budget, done: d.resolve });
      return d.promise;
    });
    await store.getState().init();
    store.setState({ activeConversationId: 'conv-1', view: view(8) });
    for (const b of [40, 50, 60, 70]) store.getState().setBudgetLive(b);
    expect(pending.map((p) => p.budget)).toEqual([40]);
    pending[0]!.done(view(4));
    await new Promise((r) => setTimeout(r, 0));
    expect(pending.map((p) => p.budget)).toEqual([40, 70]);
    pending[1]!.done(view(7));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().view?.budget).toBe(7);
    expect(store.getState().budget).toBe(70);
  });

  it('regenerates the last answer when the budget is released', async () => {
    const { api, store } = setup();
    api
      .handle('retention:select', (args) => view(args.budget))
      .handle('chat:regenerate', (args) => ({
        conversationId: args.conversationId,
        question: message('user', 'm1', 'Q'),
        answer: message('assistant', 'm3', 'A2'),
      }))
      .handle('conversation:get', () =>
        conversation([message('user', 'm1', 'Q'), message('assistant', 'm3', 'A2')]),
      );
    await store.getState().init();
    store.setState({
      activeConversationId: 'conv-1',
      view: view(8),
      messages: [message('user', 'm1', 'Q'), message('assistant', 'm2', 'A1')],
    });
    store.getState().setBudgetLive(48);
    await store.getState().commitBudget();
    expect(api.callsTo('chat:regenerate')).toEqual([
      expect.objectContaining({ conversationId: 'conv-1', budget: 48, method: 'compresskv' }),
    ]);
    expect(store.getState().messages.at(-1)?.text).toBe('A2');
    // Releasing again where the shown answer was made regenerates nothing.
    store.setState({
      messages: [message('user', 'm1', 'Q'), { ...message('assistant', 'm3', 'A2'), budget: 48 }],
    });
    await store.getState().commitBudget();
    expect(api.callsTo('chat:regenerate')).toHaveLength(1);
  });

  it('shows main-side errors as readable messages and keeps running', async () => {
    const { api, store } = setup();
    api.handle('chat:ask', () => {
      throw new KvLensError(
        'context-overflow',
        'The document has 9000 tokens; the model reads 4096.',
      );
    });
    await store.getState().init();
    await store.getState().ask('Anything?');
    expect(store.getState().error).toBe('The document has 9000 tokens; the model reads 4096.');
    expect(store.getState().generating).toBe(false);
    store.getState().dismissError();
    expect(store.getState().error).toBeNull();
  });

  it('tracks progress events and drops finished tasks', async () => {
    const { api, store } = setup();
    await store.getState().init();
    const p = {
      taskId: 't1',
      kind: 'ingest' as const,
      label: 'Reading a.pdf',
      done: 3,
      total: 10,
      unit: 'pages',
      etaMs: 700,
      finished: false,
    };
    api.emit('document:onProgress', p);
    expect(store.getState().progress.t1?.done).toBe(3);
    api.emit('document:onProgress', { ...p, done: 10, finished: true });
    expect(store.getState().progress.t1).toBeUndefined();
  });
});
