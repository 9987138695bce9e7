import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import type { IngestOptions, IngestProgress } from '../../app/documents/ingest-options';
import { KvLensError } from '../../app/errors';
import { ingestFile } from './ingest';
import * as corpus from './testing/corpus';
import { pdfkitBytes, prose } from './testing/make-pdf';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-bad-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function failure(path: string, options?: IngestOptions): Promise<KvLensError> {
  try {
    await ingestFile(path, options);
  } catch (err) {
    if (err instanceof KvLensError) return err;
    throw err;
  }
  throw new Error(`${path} was read without an error`);
}

const tenPages = (): Promise<Uint8Array> =>
  pdfkitBytes((doc) => {
    for (let p = 1; p <= 10; p++) {
      if (p > 1) doc.addPage();
      doc.text(`Page ${p}. ${prose(30, p)}`);
    }
  });

describe('bad input gives a clear error', () => {
  it('asks for the password of an encrypted PDF and rejects a wrong one', async () => {
    const path = put('locked.pdf', await corpus.encryptedPdf('pw'));
    const none = await failure(path);
    expect(none.code).toBe('encrypted');
    expect(none.message).toMatch(/"locked.pdf" is password-protected.*--password/);
    const wrong = await failure(path, { password: 'nope' });
    expect(wrong.code).toBe('encrypted');
    expect(wrong.message).toMatch(/not correct/);
  });

  it('reports truncated and garbled PDFs as corrupt', async () => {
    const good = await tenPages();
    const cut = await failure(put('cut.pdf', good.slice(0, Math.floor(good.length * 0.6))));
    expect(cut.code).toBe('corrupt');
    expect(cut.message).toMatch(/"cut.pdf" is damaged or truncated/);
    const garbled = good.slice();
    for (let i = 64; i < garbled.length; i += 5) garbled[i] = 0x23;
    expect((await failure(put('garbled.pdf', garbled))).code).toBe('corrupt');
  });

  it('reads a PDF whose end marker is missing, with a warning that it may be truncated', async () => {
    const good = new TextDecoder('latin1').decode(await tenPages());
    const noEof = good.replace(/%%EOF\s*$/, '');
    const bytes = Uint8Array.from(noEof, (c) => c.charCodeAt(0));
    const doc = await ingestFile(put('no-eof.pdf', bytes));
    expect(doc.pages.length).toBe(10);
    expect(doc.warnings.map((w) => w.code)).toContain('truncated');
  });

  it('reports empty files, and non-PDFs named .pdf', async () => {
    const empty = await failure(put('empty.pdf', new Uint8Array(0)));
    expect([empty.code, empty.message]).toEqual([
      'corrupt',
      '"empty.pdf" is empty (0 bytes); there is nothing to read.',
    ]);
    const png = await failure(
      put('image.pdf', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])),
    );
    expect(png.code).toBe('unsupported');
    expect(png.message).toContain('PNG image');
    const text = await failure(
      put('notes.pdf', new TextEncoder().encode('Dear diary, this is not a PDF.')),
    );
    expect(text.code).toBe('unsupported');
  });

  it('says a scanned PDF has no text, and lists image-only pages in a mostly-text PDF', async () => {
    const scanned = await failure(put('scan.pdf', await corpus.scannedPdf(3)));
    expect(scanned.code).toBe('no-text');
    expect(scanned.message).toMatch(
      /no extractable text on any of its 3 pages.*OCR is not included/,
    );
    const mixed = await pdfkitBytes((doc) => {
      doc.text('A page with text.');
      doc.addPage();
      doc.rect(72, 72, 100, 100).fill('#333');
    });
    const doc = await ingestFile(put('mixed.pdf', mixed));
    expect(doc.warnings.find((w) => w.code === 'empty-pages')?.pages).toEqual([2]);
  });

  it('enforces the file size and page limits, naming both numbers', async () => {
    const path = put('ten.pdf', await tenPages());
    const size = await failure(path, { limits: { maxFileBytes: 1000 } });
    expect(size.code).toBe('too-large');
    expect(size.message).toMatch(/"ten.pdf" is [\d.]+ KB; the limit is 1000 bytes/);
    const pages = await failure(path, { limits: { maxPages: 5 } });
    expect([pages.code, pages.message]).toEqual([
      'too-large',
      '"ten.pdf" has 10 pages; the limit is 5 pages. Split the PDF or raise the page limit.',
    ]);
  });

  it('reports progress page by page and stops when cancelled', async () => {
    const path = put('progress.pdf', await tenPages());
    const seen: IngestProgress[] = [];
    await ingestFile(path, { onProgress: (p) => seen.push(p) });
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => ({ page: i + 1, pages: 10 })));

    const ac = new AbortController();
    const pagesDone: number[] = [];
    const err = await failure(path, {
      signal: ac.signal,
      onProgress: ({ page }) => {
        pagesDone.push(page);
        if (page === 3) ac.abort();
      },
    });
    expect(err.code).toBe('cancelled');
    expect(pagesDone).toEqual([1, 2, 3]);
  });

  it('reports a missing file as not-found', async () => {
    expect((await failure(join(dir, 'absent.pdf'))).code).toBe('not-found');
  });
});
