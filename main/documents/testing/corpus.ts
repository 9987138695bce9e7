/**
 * The generated test corpus: one PDF (or file) per case the ingestion must handle.
 */
import { PDFDocument as LibDocument, StandardFonts, degrees } from 'pdf-lib';
import { PNG } from 'pngjs';
import { DEJAVU_SANS, DROID_FALLBACK, requireFont } from './fonts';
import { pdfkitBytes, prose } from './make-pdf';

/** Two pages of plain Latin text with two paragraphs on page 1. */
export function simplePdf(): Promise<Uint8Array> {
  return pdfkitBytes((doc) => {
    doc.fontSize(12).text('First paragraph starts here. ' + prose(40, 1), { width: 400 });
    doc.moveDown();
    doc.text('Second paragraph follows.', { width: 400 });
    doc.addPage();
    doc.text('Page two says hello.');
  });
}

/**
 * Four pages with a running header and a numbered footer, a sentence that runs on over three of
 * the page breaks, and a body line repeated in the middle of every page (content, kept).
 */
export const RUNNING_HEADER_PAGES = [
  ['Section A opens here.', 'The survey of the'],
  ['harbour wall was finished.', 'In the spring, the'],
  ['report was filed.', 'Nobody read it, and'],
  ['it was lost.', 'The end.'],
] as const;

export function runningHeadersPdf(): Promise<Uint8Array> {
  return pdfkitBytes((doc) => {
    RUNNING_HEADER_PAGES.forEach(([top, bottom], i) => {
      if (i > 0) doc.addPage();
      doc.fontSize(9).text('Harbour Authority: Annual Report', 72, 40);
      doc.fontSize(12).text(top, 72, 120);
      doc.text('See the table below.', 72, 300);
      doc.text(bottom, 72, 600);
      doc.fontSize(9).text(`Page ${i + 1} of 4`, 72, 690);
    });
  });
}

/** Text in columns: a full-width title, two explicit columns, a full-width footer. */
export function twoColumnPdf(): Promise<Uint8Array> {
  return pdfkitBytes((doc) => {
    doc.fontSize(16).text('A Title That Spans Both Columns Of The Page', 72, 72, { width: 468 });
    doc.fontSize(11);
    doc.text(`Left column begins. ${prose(120, 2)} Left column ends.`, 72, 110, { width: 220 });
    doc.text(`Right column begins. ${prose(120, 3)} Right column ends.`, 320, 110, { width: 220 });
    doc.text(
      'Footer line that spans the whole width of the page body, below both columns.',
      72,
      600,
      {
        width: 468,
      },
    );
  });
}

/** One text flowed by pdfkit through three columns; reading it back must give the same text. */
export async function flowedColumnsPdf(): Promise<{ bytes: Uint8Array; text: string }> {
  const text = Array.from({ length: 260 }, (_, i) => `w${i + 1}`).join(' ');
  const bytes = await pdfkitBytes((doc) => {
    doc.fontSize(10).text(text, 72, 72, { columns: 3, columnGap: 15, width: 468, height: 200 });
  });
  return { bytes, text };
}

/** Page 1 has /Rotate 90; page 2 has text drawn at 90 degrees on an unrotated page. */
export async function rotatedPdf(): Promise<Uint8Array> {
  const pdf = await LibDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const p1 = pdf.addPage([600, 400]);
  p1.setRotation(degrees(90));
  p1.drawText('Rotated page line one', { x: 50, y: 300, size: 14, font });
  p1.drawText('Rotated page line two', { x: 50, y: 280, size: 14, font });
  const p2 = pdf.addPage([400, 600]);
  p2.drawText('Sideways text first line', { x: 300, y: 50, size: 14, font, rotate: degrees(90) });
  p2.drawText('Sideways text second line', { x: 320, y: 50, size: 14, font, rotate: degrees(90) });
  return pdf.save();
}

/** A PDF that needs `password` to open. */
export function encryptedPdf(password: string): Promise<Uint8Array> {
  return pdfkitBytes((doc) => doc.text('Confidential text behind a password.'), {
    userPassword: password,
    ownerPassword: `${password}-owner`,
  });
}

/** A "scanned" PDF: pages that are only images, no text layer. */
export function scannedPdf(pages = 2): Promise<Uint8Array> {
  const png = new PNG({ width: 120, height: 60 });
  for (let i = 0; i < png.data.length; i += 4) {
    const dark = (i / 4) % 7 < 3;
    png.data[i] = png.data[i + 1] = png.data[i + 2] = dark ? 20 : 235;
    png.data[i + 3] = 255;
  }
  const image = PNG.sync.write(png);
  return pdfkitBytes((doc) => {
    for (let p = 0; p < pages; p++) {
      if (p > 0) doc.addPage();
      doc.image(image, 72, 72, { width: 400 });
    }
  });
}

/** A PDF with a form field and document JavaScript that would set a global if it ever ran. */
export async function formsAndScriptPdf(): Promise<Uint8Array> {
  const pdf = await LibDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([600, 400]);
  page.drawText('Page text next to a form.', { x: 50, y: 350, size: 14, font });
  const field = pdf.getForm().createTextField('applicant.name');
  field.setText('FieldValueNotPageText');
  field.addToPage(page, { x: 50, y: 200, width: 300, height: 30 });
  pdf.addJavaScript('onOpen', 'globalThis.__kvLensPdfScriptRan = true; app.alert("ran");');
  return pdf.save();
}

/** Cyrillic, Arabic and CJK text (needs the fonts in ./fonts). */
export function scriptsPdf(): Promise<Uint8Array> {
  const dejavu = requireFont(DEJAVU_SANS);
  const cjk = requireFont(DROID_FALLBACK);
  return pdfkitBytes((doc) => {
    doc.font(dejavu).fontSize(14).text('Привет, мир! Съешь же ещё этих мягких булок.');
    doc.moveDown();
    doc.text('مرحبا بالعالم');
    doc.moveDown();
    doc.font(cjk).text('你好世界。这是中文文本。日本語のテキスト。');
  });
}

/** Ligature code points (U+FB01, U+FB02) and words hyphenated at line ends. */
export function ligatureHyphenPdf(): Promise<Uint8Array> {
  const dejavu = requireFont(DEJAVU_SANS);
  return pdfkitBytes((doc) => {
    doc.font(dejavu).fontSize(12);
    doc.text('The ﬁrst ﬂow of ﬁne text.');
    doc.moveDown();
    doc.text('This line has an exam-\nple of a split word and a well-\nKnown name kept.');
  });
}
