import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppService } from './app-service';
import { SAMPLES_DIR } from './app-paths';
import { WELCOME_MARKER_FILE, WELCOME_SAMPLE_TASK_ID } from './welcome-sample';
import type { EventChannel } from '../../app/ipc/contract';
import type { AppState, DocumentContent, DocumentSummary, Progress } from '../../app/ipc/views';

// The real sample PDFs (assets/samples); the model is never loaded, so its folder may be missing.
const made: string[] = [];
const services: AppService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.dispose();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kvlens-welcome-'));
  made.push(dir);
  return dir;
}

interface Started {
  service: AppService;
  events: { channel: EventChannel; payload: unknown }[];
  logs: string[];
}

async function start(dataDir: string | null, samplesDir: string | null): Promise<Started> {
  const logs: string[] = [];
  const service = new AppService({
    mode: 'browser',
    version: 'test',
    dataDir,
    demoModelDir: join(tmpdir(), 'kvlens-no-model'),
    samplesDir,
    log: (m) => logs.push(m),
  });
  services.push(service);
  const events: Started['events'] = [];
  service.onEvent((channel, payload) => events.push({ channel, payload }));
  await service.started;
  return { service, events, logs };
}

const list = async (s: AppService) => (await s.dispatch('document:list', {})) as DocumentSummary[];
const samplePdf = JSON.parse(
  readFileSync(join(SAMPLES_DIR, 'field-survey-notes.json'), 'utf8'),
) as {
  document: string;
  pages: number;
};

describe('welcome sample on first start', () => {
  it('opens the first sample PDF once, like any document, and never again', async () => {
    const data = tempDir();
    const first = await start(data, SAMPLES_DIR);
    const docs = await list(first.service);
    // field-survey-notes.pdf sorts first among the samples.
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      name: samplePdf.document,
      kind: 'pdf',
      pages: samplePdf.pages,
    });
    const content = (await first.service.dispatch('document:get', {
      documentId: docs[0]!.id,
    })) as DocumentContent;
    expect(content.text).toContain('Lantern Street Museum');
    // Progress the window can show, ending finished, then the new state for the document panel.
    const progress = first.events
      .filter((e) => e.channel === 'document:onProgress')
      .map((e) => e.payload as Progress);
    expect(progress.every((p) => p.taskId === WELCOME_SAMPLE_TASK_ID && p.kind === 'ingest')).toBe(
      true,
    );
    expect(progress.some((p) => p.done === samplePdf.pages && p.total === samplePdf.pages)).toBe(
      true,
    );
    expect(progress.at(-1)?.finished).toBe(true);
    const state = first.events.find((e) => e.channel === 'app:onStateChanged')?.payload as AppState;
    expect(state.documents.map((d) => d.id)).toEqual([docs[0]!.id]);
    expect(first.logs).toEqual([]);
    expect(existsSync(join(data, WELCOME_MARKER_FILE))).toBe(true);
    first.service.dispose();

    // Second start on the same library: the same single document, nothing ingested.
    const second = await start(data, SAMPLES_DIR);
    expect((await list(second.service)).map((d) => d.id)).toEqual([docs[0]!.id]);
    expect(second.events).toEqual([]);
    // Its copy in the data folder reads back after the restart.
    const bytes = (await second.service.dispatch('document:getFile', {
      documentId: docs[0]!.id,
    })) as { bytes: Uint8Array };
    expect(bytes.bytes.length).toBe(docs[0]!.bytes);

    // Closed by the user: stays closed after another restart.
    await second.service.dispatch('document:close', { documentId: docs[0]!.id });
    second.service.dispose();
    const third = await start(data, SAMPLES_DIR);
    expect(await list(third.service)).toEqual([]);
    expect(third.events).toEqual([]);
  });

  it('leaves a library that already has documents alone', async () => {
    const data = tempDir();
    const before = await start(data, null);
    await before.service.dispatch('document:open', {
      source: { kind: 'upload', name: 'notes.txt', bytes: new TextEncoder().encode('My notes.') },
      password: null,
      taskId: 'open-1',
    });
    before.service.dispose();
    const after = await start(data, SAMPLES_DIR);
    expect((await list(after.service)).map((d) => d.name)).toEqual(['notes.txt']);
    expect(existsSync(join(data, WELCOME_MARKER_FILE))).toBe(true);
  });

  it('works in a memory-only library, drawing the sample from memory', async () => {
    const { service } = await start(null, SAMPLES_DIR);
    const docs = await list(service);
    expect(docs.map((d) => d.name)).toEqual([samplePdf.document]);
    const file = (await service.dispatch('document:getFile', { documentId: docs[0]!.id })) as {
      bytes: Uint8Array;
    };
    expect(new TextDecoder().decode(file.bytes.subarray(0, 5))).toBe('%PDF-');
  });

  it('logs a missing samples folder and keeps running with an empty library', async () => {
    const data = tempDir();
    const missing = join(data, 'no-samples-here');
    const { service, logs } = await start(data, missing);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(missing);
    expect(await list(service)).toEqual([]);
    expect(((await service.dispatch('app:getState', {})) as AppState).documents).toEqual([]);
  });

  it('logs a sample that fails to ingest once, then does not retry it', async () => {
    const data = tempDir();
    const samples = join(data, 'samples');
    mkdirSync(samples);
    writeFileSync(join(samples, 'broken.pdf'), 'not a pdf at all');
    const first = await start(data, samples);
    expect(first.logs).toHaveLength(1);
    expect(first.logs[0]).toContain('broken.pdf');
    expect(await list(first.service)).toEqual([]);
    // The app still answers requests.
    expect((await first.service.dispatch('app:getState', {})) as AppState).toMatchObject({
      documents: [],
    });
    first.service.dispose();
    const second = await start(data, samples);
    expect(second.logs).toEqual([]);
    expect(await list(second.service)).toEqual([]);
  });
});
