import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import type { IngestedDocument } from '../../app/documents/document';
import { spanRects } from '../../app/documents/char-boxes';
import { ingestBytes, ingestFile } from './ingest';
import * as corpus from './testing/corpus';
import { prose } from './testing/make-pdf';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ingestGenerated(
  name: string,
  bytes: Uint8Array | Promise<Uint8Array>,
): Promise<IngestedDocument> {
  const path = join(dir, name);
  writeFileSync(path, await bytes);
  return ingestFile(path);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

// Every character box must lie on its page; inserted characters have empty boxes.
function expectBoxesOnPages(doc: IngestedDocument): void {
  for (const page of doc.pages) {
    const b = page.boxes!;
    expect(b.length).toBe(page.text.length * 4);
    for (let i = 0; i < page.text.length; i++) {
      if (b[4 * i + 2] === 0) continue;
      expect(b[4 * i]!).toBeGreaterThanOrEqual(-1);
      expect(b[4 * i + 1]!).toBeGreaterThanOrEqual(-1);
      expect(b[4 * i]! + b[4 * i + 2]!).toBeLessThanOrEqual(page.width + 1);
      expect(b[4 * i + 1]! + b[4 * i + 3]!).toBeLessThanOrEqual(page.height + 1);
    }
  }
}

describe('PDF ingestion of the generated corpus', () => {
  it("leaves the caller's bytes intact (pdf.js empties the array it is given)", async () => {
    const bytes = await corpus.simplePdf();
    const before = Uint8Array.from(bytes);
    const doc = await ingestBytes(bytes, 'in-memory.pdf');
    expect(doc.pages.length).toBe(2);
    expect(bytes).toEqual(before);
    // The same array can be read twice (e.g. hashed and stored after ingestion).
    expect((await ingestBytes(bytes, 'again.pdf')).text).toBe(doc.text);
  });

  it('leaves out running headers and footers and joins a sentence split by a page break', async () => {
    const doc = await ingestGenerated('running.pdf', corpus.runningHeadersPdf());
    expect(doc.pages.map((p) => p.text)).toEqual(
      corpus.RUNNING_HEADER_PAGES.map(
        ([top, bottom]) => `${top}\n\nSee the table below.\n\n${bottom}`,
      ),
    );
    for (const sentence of [
      'The survey of the harbour wall was finished.',
      'In the spring, the report was filed.',
      'Nobody read it, and it was lost.',
    ]) {
      expect(doc.text).toContain(sentence);
    }
    expect(doc.text).not.toMatch(/Annual Report|Page \d of 4/);
    const warning = doc.warnings.find((w) => w.code === 'running-lines');
    expect(warning?.pages).toEqual([1, 2, 3, 4]);
    expect(warning?.message).toContain('"Harbour Authority: Annual Report"');
    expectBoxesOnPages(doc);
  });

  it('keeps pages, paragraphs and offsets, and joins the lines a paragraph was wrapped into', async () => {
    const doc = await ingestGenerated('simple.pdf', corpus.simplePdf());
    expect(doc.kind).toBe('pdf');
    expect(doc.pages.length).toBe(2);
    const [p1, p2] = doc.pages;
    // pdfkit wrapped the first paragraph over several lines at 400 pt; it reads as it was written.
    expect(p1!.text).toBe(
      `First paragraph starts here. ${prose(40, 1)}\n\nSecond paragraph follows.`,
    );
    expect(p2!.text).toBe('Page two says hello.');
    expect(doc.text.slice(p2!.start)).toBe('Page two says hello.');
    expect(doc.warnings).toEqual([]);
    expectBoxesOnPages(doc);
  });

  it('gives each character a box where it was drawn', async () => {
    const doc = await ingestGenerated('simple-boxes.pdf', corpus.simplePdf());
    const start = doc.text.indexOf('Page two');
    const [rect] = spanRects(doc, start, start + 'Page two'.length);
    // pdfkit draws at the 72 pt margin; 12 pt text, so the line is about 12-14 pt high.
    expect(rect!.page).toBe(1);
    expect(rect!.x).toBeCloseTo(72, 0);
    expect(rect!.y).toBeGreaterThan(65);
    expect(rect!.y).toBeLessThan(85);
    expect(rect!.h).toBeGreaterThan(10);
    expect(rect!.w).toBeGreaterThan(40);
    expect(rect!.w).toBeLessThan(60);
  });

  it('keeps the gap between table cells drawn apart, and only there', async () => {
    const doc = await ingestFile(join('assets', 'samples', 'field-survey-notes.pdf'));
    const text = doc.pages.map((p) => p.text).join('\n');
    expect(text).toContain(
      'Position    Name\nchief engineer, Kestrel Aviation Club    Helga Everly',
    );
    expect(text).toContain('candles (Eldwick)    46 sacks\ncoal (Eldwick)    23 drums');
    // The sample's two tables (header + two rows each) are its only lines with a column gap.
    expect(text.split('\n').filter((l) => l.includes('    '))).toHaveLength(6);
    expect(text).not.toMatch(/ {5}/);
    expectBoxesOnPages(doc);
  });

  it('reads the wrapped paragraphs of a sample PDF as running text, list items one per line', async () => {
    const doc = await ingestFile(join('assets', 'samples', 'field-survey-notes.pdf'));
    // Each of these was wrapped across two lines on the page.
    expect(doc.text).toContain('On 9 October 2022, the Falcon Ridge Mine held its winter closure.');
    expect(doc.text).toContain('by the harvest office. Oriana Abernathy lives in Glenmere.\n\n');
    expect(doc.text).toContain(
      '\n1. Check the sturdy library at first light\n2. Students report on the quarry\n',
    );
    expect(doc.text).toContain('\n7. Inventory\nMaterial    Stock\n');
    expectBoxesOnPages(doc);
  });

  it('keeps a long first cell apart from the second in the sample tables', async () => {
    const doc = await ingestFile(join('assets', 'samples', 'meridian-institute-inventory.pdf'));
    expect(doc.text).toContain('harbour master, Saltmarsh Cooperative    Magnus Eastwick\n');
  });

  it('reads two columns one after the other between a spanning title and footer', async () => {
    const doc = await ingestGenerated('columns.pdf', corpus.twoColumnPdf());
    const t = doc.text;
    const order = [
      'A Title That Spans',
      'Left column begins.',
      'Left column ends.',
      'Right column begins.',
      'Right column ends.',
      'Footer line',
    ];
    const at = order.map((s) => oneLine(t).indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expectBoxesOnPages(doc);
  });

  it('reads text flowed through three columns back in its original order', async () => {
    const { bytes, text } = await corpus.flowedColumnsPdf();
    const doc = await ingestGenerated('flowed.pdf', bytes);
    expect(oneLine(doc.text)).toBe(text);
  });

  it('reads rotated pages and rotated text in reading order with boxes on the displayed page', async () => {
    const doc = await ingestGenerated('rotated.pdf', corpus.rotatedPdf());
    const [p1, p2] = doc.pages;
    expect(p1!.text).toBe('Rotated page line one\nRotated page line two');
    expect(p2!.text).toBe('Sideways text first line\nSideways text second line');
    expect([p1!.rotation, p1!.width, p1!.height]).toEqual([90, 400, 600]);
    expect(doc.pages.map((p) => p.vertical)).toEqual([true, true]);
    // Both pages show their text running vertically, so a line's box is tall and narrow.
    for (const [i, page] of doc.pages.entries()) {
      const [rect] = spanRects(doc, page.start, page.start + 'Rotated page line one'.length);
      expect(rect!.page).toBe(i);
      expect(rect!.h).toBeGreaterThan(3 * rect!.w);
    }
    expectBoxesOnPages(doc);
  });

  it('reads Cyrillic, Arabic and CJK text', async () => {
    const doc = await ingestGenerated('scripts.pdf', corpus.scriptsPdf());
    expect(doc.text).toContain('Привет, мир! Съешь же ещё этих мягких булок.');
    // pdfkit does not run the bidi algorithm, so only each Arabic word's letters are checked.
    expect(doc.text).toContain('مرحبا');
    expect(doc.text).toContain('بالعالم');
    expect(doc.text).toContain('你好世界。这是中文文本。日本語のテキスト。');
    expectBoxesOnPages(doc);
  });

  it('expands ligatures and joins line-end hyphenation, with a warning', async () => {
    const doc = await ingestGenerated('ligatures.pdf', corpus.ligatureHyphenPdf());
    expect(doc.text).toContain('The first flow of fine text.');
    expect(doc.text).not.toMatch(/[\ufb00-\ufb06]/);
    expect(doc.text).toContain('an example of a split word and a well-\nKnown name');
    const codes = doc.warnings.map((w) => w.code);
    expect(codes).toContain('hyphenation-joined');
    expect(doc.warnings.find((w) => w.code === 'hyphenation-joined')!.message).toContain('example');
    expect(codes).toContain('ligatures-normalised');
    expectBoxesOnPages(doc);
  });

  it('reads only the page text of a PDF with forms and JavaScript, and never runs the script', async () => {
    const doc = await ingestGenerated('forms.pdf', corpus.formsAndScriptPdf());
    expect(doc.text).toBe('Page text next to a form.');
    expect(doc.warnings.map((w) => w.code).sort()).toEqual(['forms-ignored', 'javascript-ignored']);
    expect((globalThis as { __kvLensPdfScriptRan?: boolean }).__kvLensPdfScriptRan).toBeUndefined();
  });

  it('opens an encrypted PDF with the right password', async () => {
    const path = join(dir, 'locked-ok.pdf');
    writeFileSync(path, await corpus.encryptedPdf('s3cret'));
    const doc = await ingestFile(path, { password: 's3cret' });
    expect(doc.text).toBe('Confidential text behind a password.');
  });
});
