/**
 * The entry point for reading a document file: checks limits, sniffs the type, extracts.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { KvLensError } from '../../app/errors';
import type { IngestedDocument } from '../../app/documents/document';
import { formatBytes, resolveLimits, type IngestOptions } from '../../app/documents/ingest-options';
import { extractPdf } from './pdf-extract';
import { detectKind } from './sniff';
import { extractText } from './text-extract';

/**
 * Reads a PDF, text or Markdown file from disk into a document.
 *
 * The size limit is checked before the file is read. Throws KvLensError with codes
 * 'not-found', 'too-large', 'unsupported', 'corrupt', 'encrypted', 'no-text', 'cancelled'.
 */
export async function ingestFile(
  path: string,
  options: IngestOptions = {},
): Promise<IngestedDocument> {
  const name = basename(path);
  const limits = resolveLimits(options.limits);
  const info = await stat(path).catch(() => null);
  if (!info) throw new KvLensError('not-found', `File not found: ${path}`);
  if (!info.isFile()) throw new KvLensError('unsupported', `${path} is not a file.`);
  checkSize(info.size, name, limits.maxFileBytes);
  const bytes = new Uint8Array(await readFile(path));
  return ingestBytes(bytes, name, options);
}

/** Reads a document from bytes already in memory (e.g. dropped into the window). */
export async function ingestBytes(
  bytes: Uint8Array,
  name: string,
  options: IngestOptions = {},
): Promise<IngestedDocument> {
  checkSize(bytes.length, name, resolveLimits(options.limits).maxFileBytes);
  const kind = detectKind(bytes, name);
  // pdf.js refuses Node Buffers (a Uint8Array subclass) and transfers (empties) the array it is
  // given, so it always gets its own plain copy: the caller's bytes stay intact.
  if (kind === 'pdf') return extractPdf(new Uint8Array(bytes), name, options);
  return extractText(bytes, name, kind, options);
}

function checkSize(size: number, name: string, max: number): void {
  if (size > max) {
    throw new KvLensError(
      'too-large',
      `"${name}" is ${formatBytes(size)}; the limit is ${formatBytes(max)}. Use a smaller file or raise the size limit.`,
      { bytes: size, maxFileBytes: max },
    );
  }
}
