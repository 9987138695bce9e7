/**
 * Small helpers to write PDFs with pdfkit (tests and the benchmark generate their corpus).
 */
import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';

export type PdfKitDoc = InstanceType<typeof PDFDocument>;
export type PdfKitOptions = ConstructorParameters<typeof PDFDocument>[0];

/** Runs `draw` on a new pdfkit document and returns the PDF bytes. */
export async function pdfkitBytes(
  draw: (doc: PdfKitDoc) => void,
  options: PdfKitOptions = {},
): Promise<Uint8Array> {
  const doc = new PDFDocument({ compress: true, ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Writes a PDF straight to a file (for large documents that should not sit in memory twice). */
export async function pdfkitFile(
  path: string,
  draw: (doc: PdfKitDoc) => void,
  options: PdfKitOptions = {},
): Promise<void> {
  const doc = new PDFDocument({ compress: true, ...options });
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
  });
  doc.pipe(out);
  draw(doc);
  doc.end();
  await done;
}

const WORDS = [
  'attention',
  'budget',
  'cache',
  'layer',
  'token',
  'window',
  'retention',
  'query',
  'value',
  'memory',
  'document',
  'answer',
  'model',
  'context',
  'score',
  'head',
  'prefix',
  'decode',
];

/** Deterministic prose: `n` words from a fixed list, varied by `seed`. */
export function prose(n: number, seed: number): string {
  const out: string[] = [];
  let s = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push(WORDS[s % WORDS.length]!);
  }
  return out.join(' ') + '.';
}

/**
 * A long book-like PDF: `pages` pages, each with a heading and three paragraphs.
 *
 * Every page carries the marker "Page N marker." so tests can check each page's text.
 */
export async function writeLongPdf(path: string, pages: number): Promise<void> {
  await pdfkitFile(path, (doc) => {
    for (let p = 1; p <= pages; p++) {
      if (p > 1) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(14).text(`Chapter ${p}`);
      doc
        .font('Helvetica')
        .fontSize(11)
        .text(`Page ${p} marker. ${prose(60, p)}`);
      doc.moveDown();
      doc.text(prose(80, p + 7919));
      doc.moveDown();
      doc.text(prose(70, p + 104729));
    }
  });
}
