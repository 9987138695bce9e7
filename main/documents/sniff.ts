/**
 * Decides how to read a file from its bytes and name; refuses what cannot be read.
 */
import { KvLensError } from '../../app/errors';
import type { DocumentKind } from '../../app/documents/document';

const TEXT_EXTENSIONS: Record<string, DocumentKind> = {
  '.txt': 'text',
  '.text': 'text',
  '': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
};

const SUPPORTED = 'PDF (.pdf), plain text (.txt) and Markdown (.md)';

const MAGIC: [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a ZIP archive (e.g. .docx, .epub)', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
];

/** The lower-case extension of a file name, with the dot ('' when none). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** True when %PDF- appears in the first 1024 bytes, where readers accept the header. */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  outer: for (let i = 0; i + 5 <= head.length; i++) {
    for (let k = 0; k < 5; k++) if (head[i + k] !== '%PDF-'.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}

/** What the bytes look like, for messages about files that are not what their name says. */
export function describeBytes(bytes: Uint8Array): string {
  for (const [what, sig] of MAGIC) if (sig.every((b, i) => bytes[i] === b)) return what;
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return 'a binary file';
  const text = new TextDecoder('latin1').decode(head.subarray(0, 512)).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'an HTML page';
  return 'a text file';
}

/**
 * The kind of document in `bytes`, named `name`.
 *
 * PDFs are recognised by their header whatever the extension; a .pdf without the header is
 * refused as 'unsupported' with what it looks like instead. Empty files are 'corrupt'.
 */
export function detectKind(bytes: Uint8Array, name: string): DocumentKind {
  if (bytes.length === 0) {
    throw new KvLensError('corrupt', `"${name}" is empty (0 bytes); there is nothing to read.`);
  }
  if (hasPdfHeader(bytes)) return 'pdf';
  const ext = extensionOf(name);
  if (ext === '.pdf') {
    throw new KvLensError(
      'unsupported',
      `"${name}" is not a PDF: it does not start with %PDF- and looks like ${describeBytes(bytes)}. Supported: ${SUPPORTED}.`,
    );
  }
  const kind = TEXT_EXTENSIONS[ext];
  if (!kind) {
    throw new KvLensError(
      'unsupported',
      `"${name}" has an unsupported type (${ext}). Supported: ${SUPPORTED}.`,
    );
  }
  const looks = describeBytes(bytes);
  if (looks !== 'a text file' && looks !== 'an HTML page') {
    throw new KvLensError(
      'unsupported',
      `"${name}" is named like text but looks like ${looks}. Supported: ${SUPPORTED}.`,
    );
  }
  return kind;
}
