import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from './open-store';
import { useTempDirs } from './testing/temp-dirs';

const tempDir = useTempDirs();

function conversation(store: Store): string {
  const d = store.documents.add({
    name: 'a.pdf',
    kind: 'pdf',
    source: 'path',
    path: '/a.pdf',
    sha256: 'c'.repeat(64),
    pages: 1,
    chars: 1,
    bytes: 1,
    warnings: [],
  });
  return store.conversations.add({ documentId: d.id, modelId: 'demo', title: 't' }).id;
}

describe('AnswerWriter', () => {
  it('creates the row at once and flushes every N pieces', () => {
    const store = openStore(':memory:');
    const conversationId = conversation(store);
    const w = store.beginAnswer(
      { conversationId, method: 'compresskv', budget: 256 },
      { flushEveryTokens: 3, flushEveryMs: 1e9 },
    );
    const saved = () => store.messages.get(w.message.id);
    expect(saved()).toMatchObject({
      status: 'streaming',
      text: '',
      method: 'compresskv',
      budget: 256,
      role: 'assistant',
    });
    w.append('a');
    w.append('b');
    expect(saved().text).toBe('');
    w.append('c');
    expect(saved().text).toBe('abc');
    w.append('d');
    const stats = {
      promptTokens: 1,
      keptTokens: 1,
      fullTokens: 1,
      fullKvBytes: 1,
      compressedKvBytes: 1,
      generatedTokens: 4,
      timeToFirstTokenMs: 1,
      prefillTokensPerSecond: 1,
      decodeTokensPerSecond: 1,
      provider: 'cpu',
      providerNote: null,
    };
    const final = w.finish('done', stats);
    expect(final).toMatchObject({ text: 'abcd', status: 'done', stats });
    // Late pieces after finish change nothing.
    w.append('late');
    w.dispose();
    expect(saved()).toMatchObject({ text: 'abcd', status: 'done' });
    store.dispose();
  });

  it('flushes when enough time passed since the last write', () => {
    let t = 0;
    const store = openStore(':memory:', { now: () => t });
    const conversationId = conversation(store);
    const w = store.beginAnswer(
      { conversationId, method: 'snapkv', budget: 64 },
      { flushEveryTokens: 1000, flushEveryMs: 100 },
    );
    w.append('x');
    t = 99;
    w.append('y');
    expect(store.messages.get(w.message.id).text).toBe('');
    t = 100;
    w.append('z');
    expect(store.messages.get(w.message.id).text).toBe('xyz');
    store.dispose();
  });

  it('ends an abandoned answer as stopped with its text', () => {
    const store = openStore(':memory:');
    const conversationId = conversation(store);
    const w = store.beginAnswer({ conversationId, method: 'h2o', budget: 64 });
    w.append('partial');
    w.dispose();
    expect(store.messages.get(w.message.id)).toMatchObject({ status: 'stopped', text: 'partial' });
    store.dispose();
  });

  it('stops quietly when the conversation is deleted mid-stream', () => {
    const store = openStore(':memory:');
    const conversationId = conversation(store);
    const w = store.beginAnswer(
      { conversationId, method: 'h2o', budget: 64 },
      { flushEveryTokens: 1 },
    );
    w.append('a');
    store.conversations.delete(conversationId);
    w.append('b');
    expect(w.finish('done')).toBeNull();
    expect(store.messages.find(w.message.id)).toBeNull();
    store.dispose();
  });

  it('recovers an answer left streaming as stopped on the next open, keeping saved text', () => {
    const path = join(tempDir(), 'lib.sqlite');
    const store = openStore(path);
    const conversationId = conversation(store);
    const w = store.beginAnswer(
      { conversationId, method: 'compresskv', budget: 256 },
      { flushEveryTokens: 2 },
    );
    for (const piece of ['The ', 'answer ', 'is ', 'unfinished']) w.append(piece);
    // Simulates the process ending without finish or dispose (a crash) by closing the store.
    store.dispose();
    const again = openStore(path);
    expect(again.recoveredMessages).toBe(1);
    const [message] = again.messages.list(conversationId);
    expect(message).toMatchObject({ status: 'stopped', text: 'The answer is unfinished' });
    again.dispose();
  });
});
