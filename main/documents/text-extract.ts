/**
 * Plain text and Markdown files -> IngestedDocument.
 */
import { CancelledError, KvLensError } from '../../app/errors';
import {
  createDocument,
  type DocumentKind,
  type DocumentWarning,
  type IngestedDocument,
} from '../../app/documents/document';
import type { IngestOptions } from '../../app/documents/ingest-options';

/**
 * Decodes a text file (UTF-8, falling back to Windows-1252 with a warning) into a document.
 *
 * Line endings become \n and a byte-order mark is dropped; form feeds (\f) split pages, as
 * printers and many converters write them. Markdown is kept as written: the model reads it.
 * Text files have no page layout, so pages carry no boxes.
 */
export function extractText(
  bytes: Uint8Array,
  name: string,
  kind: Exclude<DocumentKind, 'pdf'>,
  options: IngestOptions = {},
): IngestedDocument {
  if (options.signal?.aborted) throw new CancelledError(`Reading "${name}"`);
  const warnings: DocumentWarning[] = [];
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    raw = new TextDecoder('windows-1252').decode(bytes);
    warnings.push({
      code: 'encoding',
      message: `"${name}" is not valid UTF-8; it was read as Windows-1252 (Western European).`,
    });
  }
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) {
    throw new KvLensError(
      'no-text',
      `"${name}" contains only whitespace; there is no text to read.`,
    );
  }
  const pageTexts = text.split('\f');
  const doc = createDocument(
    name,
    kind,
    pageTexts.map((t) => ({ text: t, boxes: null, width: 0, height: 0, rotation: 0 })),
    warnings,
  );
  options.onProgress?.({ page: pageTexts.length, pages: pageTexts.length });
  return doc;
}
