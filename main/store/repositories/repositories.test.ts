import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { KvLensError } from '../../../app/errors';
import type { NewDocument } from '../../../app/store/records';
import { openStore, type Store } from '../open-store';
import { useTempDirs } from '../testing/temp-dirs';

const tempDir = useTempDirs();

/** A store whose clock only moves when the test says so. */
function clockedStore(path = ':memory:'): { store: Store; tick: (ms?: number) => number } {
  let t = 1_000_000;
  const store = openStore(path, { now: () => t });
  return { store, tick: (ms = 1) => (t += ms) };
}

function doc(name: string, sha = name.charCodeAt(0).toString(16).padStart(64, '0')): NewDocument {
  return {
    name,
    kind: 'pdf',
    source: 'path',
    path: `/docs/${name}`,
    sha256: sha,
    pages: 3,
    chars: 900,
    bytes: 4096,
    warnings: ['w'],
  };
}

describe('documents', () => {
  it('lists most recently opened first and reorders on touch', () => {
    const { store, tick } = clockedStore();
    const a = store.documents.add(doc('a.pdf'));
    tick();
    const b = store.documents.add(doc('b.pdf'));
    // Same millisecond: the later insert still comes first.
    const c = store.documents.add(doc('c.pdf'));
    expect(store.documents.list().map((d) => d.id)).toEqual([c.id, b.id, a.id]);
    tick();
    store.documents.touch(a.id);
    expect(store.documents.list().map((d) => d.name)).toEqual(['a.pdf', 'c.pdf', 'b.pdf']);
    expect(store.documents.get(a.id)).toMatchObject({
      warnings: ['w'],
      bytes: 4096,
      source: 'path',
    });
    store.dispose();
  });

  it('finds a document by content hash and counts users of a copy', () => {
    const { store } = clockedStore();
    const sha = 'f'.repeat(64);
    expect(store.documents.findBySha256(sha)).toBeNull();
    const d = store.documents.add(doc('x.pdf', sha));
    expect(store.documents.findBySha256(sha)?.id).toBe(d.id);
    expect(store.documents.countBySha256(sha)).toBe(1);
    store.documents.rename(d.id, 'renamed.pdf');
    expect(store.documents.get(d.id).name).toBe('renamed.pdf');
    store.dispose();
  });

  it('says which document is missing', () => {
    const { store } = clockedStore();
    expect(() => store.documents.get('doc-nope')).toThrow(/No document "doc-nope"/);
    expect(() => store.documents.delete('doc-nope')).toThrow(KvLensError);
    store.dispose();
  });
});

describe('conversations and messages', () => {
  it('lists conversations most recently active first, per document or all', () => {
    const { store, tick } = clockedStore();
    const d1 = store.documents.add(doc('a.pdf'));
    const d2 = store.documents.add(doc('b.pdf'));
    const c1 = store.conversations.add({ documentId: d1.id, modelId: 'demo', title: 'one' });
    tick();
    const c2 = store.conversations.add({ documentId: d1.id, modelId: 'demo', title: 'two' });
    tick();
    const c3 = store.conversations.add({ documentId: d2.id, modelId: 'demo', title: 'three' });
    tick();
    // A new message makes the oldest conversation the most recent.
    store.messages.add({ conversationId: c1.id, role: 'user', text: 'hi', status: 'done' });
    expect(store.conversations.list().map((c) => c.title)).toEqual(['one', 'three', 'two']);
    expect(store.conversations.list(d1.id).map((c) => c.id)).toEqual([c1.id, c2.id]);
    expect(store.conversations.get(c1.id).messageCount).toBe(1);
    expect(store.conversations.get(c3.id).messageCount).toBe(0);
    store.dispose();
  });

  it('keeps messages in the order they were written, even within one millisecond', () => {
    const { store } = clockedStore();
    const d = store.documents.add(doc('a.pdf'));
    const c = store.conversations.add({ documentId: d.id, modelId: 'demo', title: 't' });
    const texts = ['q1', 'a1', 'q2', 'a2', 'q3'];
    texts.forEach((text, i) =>
      store.messages.add({
        conversationId: c.id,
        role: i % 2 ? 'assistant' : 'user',
        text,
        status: 'done',
      }),
    );
    expect(store.conversations.getWithMessages(c.id).messages.map((m) => m.text)).toEqual(texts);
    store.dispose();
  });

  it('stores method, budget, stats and errors of an answer', () => {
    const { store } = clockedStore();
    const d = store.documents.add(doc('a.pdf'));
    const c = store.conversations.add({ documentId: d.id, modelId: 'demo', title: 't' });
    const stats = {
      promptTokens: 900,
      keptTokens: 1024,
      fullTokens: 3600,
      fullKvBytes: 1e6,
      compressedKvBytes: 3e5,
      generatedTokens: 20,
      timeToFirstTokenMs: 120,
      prefillTokensPerSecond: 800,
      decodeTokensPerSecond: 40,
      provider: 'cpu',
      providerNote: null,
    };
    const m = store.messages.add({
      conversationId: c.id,
      role: 'assistant',
      text: 'ok',
      status: 'done',
      method: 'snapkv',
      budget: 128,
      stats,
    });
    expect(store.messages.get(m.id)).toMatchObject({
      method: 'snapkv',
      budget: 128,
      stats,
      error: null,
    });
    const failed = store.messages.finish(m.id, {
      status: 'error',
      error: 'Out of memory: lower the budget.',
    });
    expect(failed).toMatchObject({
      status: 'error',
      error: 'Out of memory: lower the budget.',
      stats: null,
    });
    store.dispose();
  });

  it('refuses a conversation for a missing document and a message for a missing conversation', () => {
    const { store } = clockedStore();
    expect(() =>
      store.conversations.add({ documentId: 'doc-x', modelId: 'm', title: 't' }),
    ).toThrow(/No document "doc-x"/);
    expect(() =>
      store.messages.add({ conversationId: 'conv-x', role: 'user', text: 'q', status: 'done' }),
    ).toThrow(/No conversation "conv-x"/);
    store.dispose();
  });

  it('cascades deletes: document -> conversations -> messages', () => {
    const { store } = clockedStore(join(tempDir(), 'lib.sqlite'));
    const d1 = store.documents.add(doc('a.pdf'));
    const d2 = store.documents.add(doc('b.pdf'));
    const c1 = store.conversations.add({ documentId: d1.id, modelId: 'demo', title: 'x' });
    const c2 = store.conversations.add({ documentId: d1.id, modelId: 'demo', title: 'y' });
    const c3 = store.conversations.add({ documentId: d2.id, modelId: 'demo', title: 'z' });
    const kept = store.messages.add({
      conversationId: c3.id,
      role: 'user',
      text: 'keep',
      status: 'done',
    });
    const gone = [c1, c2].map((c) =>
      store.messages.add({ conversationId: c.id, role: 'user', text: 'q', status: 'done' }),
    );

    store.documents.delete(d1.id);
    expect(store.conversations.list().map((c) => c.id)).toEqual([c3.id]);
    for (const m of gone) expect(store.messages.find(m.id)).toBeNull();
    expect(store.messages.find(kept.id)?.text).toBe('keep');

    store.conversations.delete(c3.id);
    expect(store.messages.find(kept.id)).toBeNull();
    expect(store.documents.list().map((d) => d.id)).toEqual([d2.id]);
    store.dispose();
  });

  it('deletes one message (regenerate) and updates title and model', () => {
    const { store, tick } = clockedStore();
    const d = store.documents.add(doc('a.pdf'));
    const c = store.conversations.add({ documentId: d.id, modelId: 'demo', title: 't' });
    const q = store.messages.add({ conversationId: c.id, role: 'user', text: 'q', status: 'done' });
    const a = store.messages.add({
      conversationId: c.id,
      role: 'assistant',
      text: 'a',
      status: 'done',
    });
    store.messages.delete(a.id);
    expect(store.messages.list(c.id).map((m) => m.id)).toEqual([q.id]);
    tick(5);
    const updated = store.conversations.update(c.id, { title: 'Renamed', modelId: 'other' });
    expect(updated).toMatchObject({
      title: 'Renamed',
      modelId: 'other',
      updatedAt: c.updatedAt + 5,
    });
    store.dispose();
  });

  it('keeps everything after a restart', () => {
    const path = join(tempDir(), 'lib.sqlite');
    const first = openStore(path);
    const d = first.documents.add(doc('a.pdf'));
    const c = first.conversations.add({ documentId: d.id, modelId: 'demo', title: 't' });
    first.messages.add({ conversationId: c.id, role: 'user', text: 'persisted?', status: 'done' });
    first.dispose();
    const second = openStore(path);
    expect(second.conversations.getWithMessages(c.id).messages[0]?.text).toBe('persisted?');
    second.dispose();
  });
});

describe('models', () => {
  it('keeps one default, lists it first, then newest imports', () => {
    const { store, tick } = clockedStore();
    store.models.upsert({ id: 'demo', name: 'Demo', dir: '/demo', isDefault: true });
    tick();
    store.models.upsert({ id: 'qwen', name: 'Qwen', dir: '/qwen', isDefault: false });
    tick();
    store.models.upsert({ id: 'llama', name: 'Llama', dir: '/llama', isDefault: false });
    expect(store.models.list().map((m) => m.id)).toEqual(['demo', 'llama', 'qwen']);
    store.models.setDefault('qwen');
    expect(store.models.list().map((m) => [m.id, m.isDefault])).toEqual([
      ['qwen', true],
      ['llama', false],
      ['demo', false],
    ]);
    // Re-importing keeps when it was first added.
    const before = store.models.get('llama').addedAt;
    tick(10);
    expect(
      store.models.upsert({ id: 'llama', name: 'Llama 2', dir: '/l2', isDefault: false }),
    ).toMatchObject({
      name: 'Llama 2',
      addedAt: before,
    });
    store.models.delete('demo');
    expect(() => store.models.get('demo')).toThrow(/Import model folder/);
    store.dispose();
  });

  it('records calibration and marks an interrupted one failed on the next open', () => {
    const path = join(tempDir(), 'lib.sqlite');
    const store = openStore(path);
    store.models.upsert({ id: 'demo', name: 'Demo', dir: '/demo', isDefault: true });
    expect(store.models.get('demo').calibration).toBe('missing');
    store.models.setCalibration('demo', 'running');
    store.dispose();
    const again = openStore(path);
    expect(again.models.get('demo')).toMatchObject({ calibration: 'failed' });
    expect(again.models.get('demo').calibrationNote).toMatch(/Calibrate/);
    again.models.setCalibration('demo', 'calibrated');
    expect(again.models.get('demo')).toMatchObject({
      calibration: 'calibrated',
      calibrationNote: null,
    });
    again.dispose();
  });
});
