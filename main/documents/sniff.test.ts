import { describe, it, expect } from 'vitest';
import { KvLensError } from '../../app/errors';
import { detectKind, extensionOf, hasPdfHeader } from './sniff';

const bytes = (s: string | number[]): Uint8Array =>
  typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KvLensError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('detectKind', () => {
  it('recognises PDFs by header, even after leading junk or under another name', () => {
    expect(detectKind(bytes('%PDF-1.7\n...'), 'a.pdf')).toBe('pdf');
    expect(detectKind(bytes('junk\n%PDF-1.4\n'), 'a.bin')).toBe('pdf');
    expect(hasPdfHeader(bytes('x'.repeat(1100) + '%PDF-1.4'))).toBe(false);
  });

  it('reads text and Markdown by extension', () => {
    expect(detectKind(bytes('hello'), 'notes.txt')).toBe('text');
    expect(detectKind(bytes('# Title'), 'README.MD')).toBe('markdown');
    expect(detectKind(bytes('hello'), 'LICENSE')).toBe('text');
  });

  it('refuses a non-PDF named .pdf, saying what it looks like', () => {
    expect(codeOf(() => detectKind(bytes([0x89, 0x50, 0x4e, 0x47, 1, 2]), 'x.pdf'))).toMatch(
      /^unsupported: "x.pdf" is not a PDF: .*PNG image.*Supported: PDF/,
    );
    expect(codeOf(() => detectKind(bytes('just words'), 'y.pdf'))).toMatch(
      /^unsupported: .*text file/,
    );
  });

  it('refuses empty files, binaries named .txt and unknown types', () => {
    expect(codeOf(() => detectKind(new Uint8Array(0), 'e.pdf'))).toMatch(
      /^corrupt: "e.pdf" is empty \(0 bytes\)/,
    );
    expect(codeOf(() => detectKind(bytes([1, 0, 2, 0]), 'b.txt'))).toMatch(
      /^unsupported: .*binary file/,
    );
    expect(codeOf(() => detectKind(bytes('PK'), 'doc.docx'))).toMatch(/^unsupported: .*\(\.docx\)/);
  });

  it('takes the extension from the last path segment only', () => {
    expect(extensionOf('/a.b/c')).toBe('');
    expect(extensionOf('C:\\x\\Y.PDF')).toBe('.pdf');
    expect(extensionOf('.bashrc')).toBe('');
  });
});
