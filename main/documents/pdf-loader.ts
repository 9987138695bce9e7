/**
 * Opening a PDF with pdf.js in Node (plain Node 20 and Electron's Node 22), safely.
 *
 * Safety: isEvalSupported is off (fonts are never compiled with eval/Function), XFA forms are
 * not rendered, and no scripting sandbox is created (getDocument never runs document
 * JavaScript; only pdf.js's viewer does, and only when scripting is enabled) so JavaScript in a
 * PDF is never executed. Text is read in the main thread with pdf.js's in-process worker
 * (there is no DOM Worker in Node); pages are read one at a time with awaits between them.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { KvLensError } from '../../app/errors';

const WORKER_MODULE = 'pdfjs-dist/legacy/build/pdf.worker.mjs';

let workerLoaded: Promise<void> | null = null;

// pdf.js looks for the worker's message handler on globalThis before trying to import the
// worker script by a relative URL, which breaks once the app is bundled; load it explicitly.
function loadWorker(): Promise<void> {
  workerLoaded ??= (async () => {
    const g = globalThis as { pdfjsWorker?: unknown };
    if (!g.pdfjsWorker) g.pdfjsWorker = (await import(/* @vite-ignore */ WORKER_MODULE)) as unknown;
  })();
  return workerLoaded;
}

let dataDirs: { cMapUrl: string; standardFontDataUrl: string } | null = null;

// CMaps are needed to read text in CJK fonts that use predefined encodings.
function pdfjsDataDirs(): { cMapUrl: string; standardFontDataUrl: string } {
  if (!dataDirs) {
    const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    dataDirs = {
      cMapUrl: join(root, 'cmaps') + sep,
      standardFontDataUrl: join(root, 'standard_fonts') + sep,
    };
  }
  return dataDirs;
}

/**
 * Opens PDF bytes; maps pdf.js failures to KvLensError codes.
 *
 * 'encrypted' when a password is needed or wrong, 'corrupt' when the structure is unreadable.
 * The caller owns the returned document and must call destroy().
 */
export async function openPdf(
  data: Uint8Array,
  name: string,
  password: string | undefined,
): Promise<PDFDocumentProxy> {
  await loadWorker();
  const task = pdfjs.getDocument({
    data,
    password,
    ...pdfjsDataDirs(),
    cMapPacked: true,
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw pdfOpenError(err, name, password);
  }
}

function pdfOpenError(err: unknown, name: string, password: string | undefined): KvLensError {
  const e = err as { name?: string; code?: number; message?: string };
  if (e.name === 'PasswordException') {
    return password === undefined || password === ''
      ? new KvLensError(
          'encrypted',
          `"${name}" is password-protected. Give its password (CLI: --password P) to read it.`,
        )
      : new KvLensError('encrypted', `The password given for "${name}" is not correct.`);
  }
  if (
    e.name === 'InvalidPDFException' ||
    e.name === 'FormatError' ||
    e.name === 'UnknownErrorException'
  ) {
    return new KvLensError(
      'corrupt',
      `"${name}" is damaged or truncated and cannot be read as a PDF (${e.message ?? 'invalid structure'}).`,
    );
  }
  return new KvLensError(
    'corrupt',
    `"${name}" could not be opened as a PDF: ${e.message ?? String(err)}.`,
  );
}
