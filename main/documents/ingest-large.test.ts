import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { ingestFile } from './ingest';
import { writeLongPdf } from './testing/make-pdf';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-long-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(0)} MB`;

describe('a 2,000-page PDF', () => {
  it('is read completely, with progress for every page and memory that stays bounded', async () => {
    const path = join(dir, 'long.pdf');
    await writeLongPdf(path, 2000);
    const rssBefore = process.memoryUsage().rss;
    const samples: number[] = [];
    let calls = 0;
    const started = performance.now();
    const doc = await ingestFile(path, {
      onProgress: ({ page, pages }) => {
        calls++;
        expect(pages).toBe(2000);
        if (page % 250 === 0) samples.push(process.memoryUsage().rss);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    expect(calls).toBe(2000);
    expect(doc.pages.length).toBe(2000);
    for (const n of [1, 777, 2000]) {
      expect(doc.pages[n - 1]!.text).toMatch(new RegExp(`^Chapter ${n}\\n+Page ${n} marker\\.`));
    }
    const boxBytes = doc.pages.reduce((s, p) => s + (p.boxes?.byteLength ?? 0), 0);
    // Figures for the record, not a timed assertion (shared CI cores vary a lot).
    process.stderr.write(
      `[documents] 2000 pages (${mb(statSync(path).size)} file, ${doc.text.length} chars) in ` +
        `${seconds.toFixed(1)} s = ${(2000 / seconds).toFixed(0)} pages/s; RSS ${mb(rssBefore)} -> ` +
        `${samples.map(mb).join(', ')} (every 250 pages); boxes ${mb(boxBytes)}\n`,
    );
    // Memory must follow the extracted text, not the page objects: growth over the last
    // three quarters of the document stays well under what keeping pdf.js pages would cost.
    const quarter = samples[1]!;
    const last = samples[samples.length - 1]!;
    expect(last - quarter).toBeLessThan(200 * 1024 * 1024);
  });
});
