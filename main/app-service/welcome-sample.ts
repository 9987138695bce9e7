/**
 * First start: a new library opens the first sample PDF, so the window shows a document the demo
 * model can be asked about before the user has picked one. Offered once per library: a marker
 * file in the data folder remembers it, so closing the sample never brings it back.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { toErrorInfo } from '../../app/errors';
import type { DocumentSource } from '../../app/ipc/contract';
import type { DocumentSummary } from '../../app/ipc/views';
import type { DocumentLibrary } from './document-library';

/** The marker's name in the data folder (beside the library database). */
export const WELCOME_MARKER_FILE = 'welcome-sample.json';
/** Task id of the sample's ingestion (its progress events carry it; task:cancel takes it). */
export const WELCOME_SAMPLE_TASK_ID = 'welcome-sample';

export interface WelcomeSampleContext {
  /** The user's data folder; null = a memory-only library, new (so first) at every start. */
  dataDir: string | null;
  samplesDir: string;
  documents: DocumentLibrary;
  /** Opens a document the way the document:open request does (progress, state change). */
  open(source: DocumentSource, taskId: string): Promise<DocumentSummary>;
  /** False once the service is disposed: a start cut short offers the sample again next time. */
  alive(): boolean;
  log(message: string): void;
}

/**
 * Opens the first sample PDF (by name) when the library is new; resolves with it, or null when
 * it was not offered or failed. Never rejects: a missing or broken sample is logged and the app
 * carries on.
 */
export async function offerWelcomeSample(
  ctx: WelcomeSampleContext,
): Promise<DocumentSummary | null> {
  const marker = ctx.dataDir === null ? null : join(ctx.dataDir, WELCOME_MARKER_FILE);
  if (marker !== null && existsSync(marker)) return null;
  if (ctx.documents.list().length > 0) {
    // A library in use before the sample was offered: its user already has documents.
    remember(ctx, marker, null, false);
    return null;
  }
  let name: string | undefined;
  try {
    const names = await readdir(ctx.samplesDir);
    name = names.filter((n) => n.toLowerCase().endsWith('.pdf')).sort()[0];
  } catch (err) {
    // Not remembered: an install that gains its samples later still offers one.
    ctx.log(
      `No sample document opened: cannot read the samples folder ${ctx.samplesDir} (${(err as Error).message}).`,
    );
    return null;
  }
  if (name === undefined) {
    ctx.log(`No sample document opened: ${ctx.samplesDir} holds no PDF.`);
    return null;
  }
  const path = join(ctx.samplesDir, name);
  let opened: DocumentSummary | null = null;
  try {
    const bytes = new Uint8Array(await readFile(path));
    if (!ctx.alive()) return null;
    // As an upload, so the record points at the data folder's copy: the install's own folder
    // can move (an AppImage mounts at a new path each run; an update replaces it).
    opened = await ctx.open({ kind: 'upload', name, bytes }, WELCOME_SAMPLE_TASK_ID);
  } catch (err) {
    if (!ctx.alive()) return null;
    ctx.log(`The sample document ${path} was not opened: ${toErrorInfo(err).message}`);
  }
  // Remembered even after a failure or a cancel, so a broken sample is not retried every start.
  if (ctx.alive()) remember(ctx, marker, name, opened !== null);
  return opened;
}

function remember(
  ctx: WelcomeSampleContext,
  marker: string | null,
  sample: string | null,
  opened: boolean,
): void {
  if (marker === null) return;
  try {
    writeFileSync(marker, `${JSON.stringify({ offeredAt: Date.now(), sample, opened })}\n`);
  } catch (err) {
    ctx.log(
      `Cannot write ${marker} (${(err as Error).message}); the sample may open again next start.`,
    );
  }
}
