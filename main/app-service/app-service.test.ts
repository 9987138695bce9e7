import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCheckpoint } from '../../native-models/checkpoint/make-checkpoint';
import { AppService } from './app-service';
import type { EventChannel } from '../../app/ipc/contract';
import type { RetentionView } from '../../app/ipc/retention-view';
import type { AskResult } from '../../app/ipc/contract';
import type { DocumentSummary, Progress } from '../../app/ipc/views';

// A tiny random llama checkpoint stands in for the demo model; its graph is built into a temp
// cache. Random weights write gibberish, which is fine: the test follows the plumbing.
let root: string;
let service: AppService;
const events: { channel: EventChannel; payload: unknown }[] = [];
const previousCache = process.env.KV_LENS_CACHE_DIR;

const DOC = Array.from(
  { length: 40 },
  (_, i) => `Paragraph ${i}: the archive code for shelf ${i} is ${1000 + i * 7}.`,
).join('\n');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kvlens-app-'));
  process.env.KV_LENS_CACHE_DIR = join(root, 'graph-cache');
  makeCheckpoint({ family: 'llama', outDir: join(root, 'model'), seed: 3 });
  service = new AppService({
    mode: 'browser',
    version: 'test',
    dataDir: join(root, 'data'),
    demoModelDir: join(root, 'model'),
  });
  service.onEvent((channel, payload) => events.push({ channel, payload }));
});

afterAll(() => {
  service.dispose();
  if (previousCache === undefined) delete process.env.KV_LENS_CACHE_DIR;
  else process.env.KV_LENS_CACHE_DIR = previousCache;
  rmSync(root, { recursive: true, force: true });
});

async function openDoc(): Promise<DocumentSummary> {
  return (await service.dispatch('document:open', {
    source: { kind: 'upload', name: 'shelves.txt', bytes: new TextEncoder().encode(DOC) },
    password: null,
    taskId: 'open-1',
  })) as DocumentSummary;
}

describe('app service over the real engine', () => {
  it('lists the default model and persists settings', async () => {
    const models = (await service.dispatch('model:list', {})) as {
      isDefault: boolean;
      numLayers: number;
    }[];
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ isDefault: true, numLayers: 2, calibration: 'missing' });
    await service.dispatch('settings:set', {
      patch: { maxNewTokens: 6, executionProvider: 'cpu' },
    });
    const again = new AppService({
      mode: 'browser',
      version: 't',
      dataDir: join(root, 'data'),
      demoModelDir: join(root, 'model'),
    });
    expect((await again.dispatch('settings:get', {})) as object).toMatchObject({ maxNewTokens: 6 });
    again.dispose();
  });

  it('opens an uploaded document, answers with streamed tokens and a retention view', async () => {
    const doc = await openDoc();
    expect(doc).toMatchObject({ name: 'shelves.txt', kind: 'text', pages: 1, chars: DOC.length });
    const content = (await service.dispatch('document:get', { documentId: doc.id })) as {
      text: string;
    };
    expect(content.text).toBe(DOC);

    events.length = 0;
    const result = (await service.dispatch('chat:ask', {
      documentId: doc.id,
      conversationId: null,
      question: 'What is the code for shelf 12?',
      method: 'snapkv',
      budget: 48,
      taskId: 'ask-1',
    })) as AskResult;
    expect(result.answer.status).toBe('done');
    expect(result.answer.stats?.generatedTokens).toBeGreaterThan(0);
    expect(result.answer.stats?.provider).toBe('cpu');
    const tokens = events
      .filter((e) => e.channel === 'chat:onToken')
      .map((e) => (e.payload as { text: string }).text);
    expect(tokens.join('')).toBe(result.answer.text);
    const view = events.find((e) => e.channel === 'retention:onUpdate')?.payload as RetentionView;
    expect(view.map.layerCount).toBe(2);
    expect(view.map.keptPerLayer).toEqual([48, 48]);
    expect(view.layout).not.toBeNull();
    // Every document token maps back to the text it came from.
    const spans = view.layout!.spans;
    const joined = Array.from({ length: spans.length / 2 }, (_, t) =>
      DOC.slice(spans[2 * t]!, spans[2 * t + 1]!),
    ).join('');
    expect(joined.replace(/\s+/g, '')).toBe(DOC.replace(/\s+/g, ''));
    const progress = events
      .filter((e) => e.channel === 'chat:onProgress')
      .map((e) => e.payload as Progress);
    // The answer's last report, and the finished one, count every generated token.
    expect(progress.at(-1)).toMatchObject({
      label: 'Writing the answer',
      done: result.answer.stats?.generatedTokens,
      finished: true,
    });

    // Re-selection from stored scores: another budget and method, no generation.
    const tokenEvents = events.length;
    const small = (await service.dispatch('retention:select', {
      conversationId: result.conversationId,
      method: 'compresskv',
      budget: 32,
      withLayout: false,
    })) as RetentionView;
    expect(small.map.keptPerLayer).toEqual([32, 32]);
    expect(small.layout).toBeNull();
    expect(small.warnings.join(' ')).toMatch(/calibration|uniform|heads/i);
    const full = (await service.dispatch('retention:select', {
      conversationId: result.conversationId,
      method: 'full',
      budget: 32,
      withLayout: false,
    })) as RetentionView;
    expect(full.map.keptPerLayer).toEqual([full.map.promptLength, full.map.promptLength]);
    const h2o = (await service.dispatch('retention:select', {
      conversationId: result.conversationId,
      method: 'h2o',
      budget: 40,
      withLayout: false,
    })) as RetentionView;
    expect(h2o.map.keptPerLayer).toEqual([40, 40]);
    expect(events.length).toBe(tokenEvents);

    // The conversation holds both messages, and regenerate replaces the answer.
    const again = (await service.dispatch('chat:regenerate', {
      conversationId: result.conversationId,
      method: 'pyramidkv',
      budget: 40,
      taskId: 'regen-1',
    })) as AskResult;
    expect(again.answer.method).toBe('pyramidkv');
    const conversation = (await service.dispatch('conversation:get', {
      conversationId: result.conversationId,
    })) as {
      messages: { role: string; method: string | null }[];
    };
    expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(conversation.messages[1]!.method).toBe('pyramidkv');
  });

  it('brings documents, conversations and messages back after a restart', async () => {
    const conversations = (await service.dispatch('conversation:list', { documentId: null })) as {
      id: string;
      documentId: string;
      messageCount: number;
    }[];
    expect(conversations.length).toBeGreaterThan(0);
    const restarted = new AppService({
      mode: 'browser',
      version: 'test',
      dataDir: join(root, 'data'),
      demoModelDir: join(root, 'model'),
    });
    try {
      const state = (await restarted.dispatch('app:getState', {})) as {
        documents: { id: string }[];
        conversations: { id: string }[];
      };
      expect(state.conversations.map((c) => c.id)).toEqual(conversations.map((c) => c.id));
      const first = conversations[0]!;
      const again = (await restarted.dispatch('conversation:get', {
        conversationId: first.id,
      })) as {
        messages: { role: string; status: string }[];
      };
      expect(again.messages).toHaveLength(first.messageCount);
      expect(again.messages[0]!.role).toBe('user');
      // The uploaded file was copied into the data folder, so its text reads back after restart.
      const content = (await restarted.dispatch('document:get', {
        documentId: first.documentId,
      })) as {
        text: string;
      };
      expect(content.text).toBe(DOC);
    } finally {
      restarted.dispose();
    }
  });

  it('stops a generation midway and keeps the partial answer as stopped', async () => {
    await service.dispatch('settings:set', { patch: { maxNewTokens: 400 } });
    const doc = await openDoc();
    let conversationId = '';
    const off = service.onEvent((channel, payload) => {
      if (channel === 'chat:onToken' && !conversationId) {
        conversationId = (payload as { conversationId: string }).conversationId;
        void service.dispatch('chat:stop', { conversationId });
      }
    });
    const result = (await service.dispatch('chat:ask', {
      documentId: doc.id,
      conversationId: null,
      question: 'Tell me everything.',
      method: 'streamingllm',
      budget: 64,
      taskId: 'ask-2',
    })) as AskResult;
    off();
    expect(result.answer.status).toBe('stopped');
    expect(result.answer.text.length).toBeGreaterThan(0);
  });

  it('refuses what the contract does not allow, with readable errors', async () => {
    await expect(service.dispatch('fs:read', {})).rejects.toThrow(/Unknown request channel/);
    await expect(
      service.dispatch('retention:select', {
        conversationId: 'conv-x',
        method: 'snapkv',
        budget: 64,
        withLayout: false,
      }),
    ).rejects.toThrow(/ask a question/);
    await expect(
      service.dispatch('document:open', {
        source: { kind: 'upload', name: 'empty.pdf', bytes: new Uint8Array(0) },
        password: null,
        taskId: 'bad-1',
      }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/corrupt|unsupported|no-text/) });
  });
});
