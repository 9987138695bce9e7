import PDFDocument from 'pdfkit';
import type { SampleBlock, SampleDoc } from './sample-doc';
import { wrapKeepingSpans } from './wrap-keeping-spans';

/** A laid-out sample PDF and where each kept answer span landed. */
export interface RenderedPdf {
  bytes: Buffer;
  pages: number;
  /** 1-based page of each kept span (first occurrence). */
  spanPages: Map<string, number>;
}

// A5 with generous type: a few thousand tokens make 5+ pages, like a short report.
const PAGE = { width: 419.53, height: 595.28 };
const MARGIN = { left: 50, right: 50, top: 56, bottom: 64 };
const BODY = { font: 'Helvetica', size: 11 };
const BOLD = 'Helvetica-Bold';
const LINE = 1.45;
// Fixed metadata date: the file ID is derived from the info dictionary, so this keeps output stable.
const FIXED_DATE = new Date(Date.UTC(2026, 0, 1));

/**
 * Lay a sample document out as a PDF with pdfkit (own pagination, page footers).
 *
 * Text is placed line by line (lineBreak off) so that answer spans never wrap and the output is
 * byte-for-byte reproducible.
 */
export async function renderSamplePdf(doc: SampleDoc): Promise<RenderedPdf> {
  const pdf = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: { top: 10, bottom: 10, left: 10, right: 10 },
    bufferPages: true,
    compress: true,
    info: { Title: doc.title, Author: 'KV Lens sample generator', CreationDate: FIXED_DATE },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    pdf.on('end', () => resolve(Buffer.concat(chunks))),
  );

  const width = PAGE.width - MARGIN.left - MARGIN.right;
  const bottom = PAGE.height - MARGIN.bottom;
  const spanPages = new Map<string, number>();
  let page = 1;
  let y = MARGIN.top;

  const ensure = (h: number): void => {
    if (y + h > bottom) {
      pdf.addPage();
      page += 1;
      y = MARGIN.top;
    }
  };
  const note = (line: string): void => {
    for (const s of doc.keep) if (line.includes(s) && !spanPages.has(s)) spanPages.set(s, page);
  };
  const lines = (text: string, font: string, size: number, x = MARGIN.left, w = width): void => {
    pdf.font(font).fontSize(size);
    const lh = size * LINE;
    for (const line of wrapKeepingSpans(text, w, (s) => pdf.widthOfString(s), doc.keep)) {
      ensure(lh);
      pdf.text(line, x, y, { lineBreak: false });
      note(line);
      y += lh;
    }
  };

  const draw = (b: SampleBlock): void => {
    if (b.type === 'title') {
      lines(b.text, BOLD, 15);
      y += 10;
    } else if (b.type === 'heading') {
      ensure(BODY.size * LINE * 3); // keep a heading with its first lines
      y += 4;
      lines(b.text, BOLD, 12.5);
      y += 3;
    } else if (b.type === 'para') {
      lines(b.sentences.join(' '), BODY.font, BODY.size);
      y += BODY.size * 0.6;
    } else if (b.type === 'list') {
      b.items.forEach((item, i) => {
        const mark = b.numbered ? `${i + 1}.` : '-';
        ensure(BODY.size * LINE);
        pdf
          .font(BODY.font)
          .fontSize(BODY.size)
          .text(mark, MARGIN.left + 6, y, { lineBreak: false });
        lines(item, BODY.font, BODY.size, MARGIN.left + 24, width - 24);
      });
      y += BODY.size * 0.6;
    } else {
      drawTable(b.header, b.rows);
    }
  };

  const drawTable = (header: string[], rows: string[][]): void => {
    const lh = BODY.size * LINE;
    const col2 = MARGIN.left + secondColumnOffset(header, rows);
    ensure(lh * 3);
    const row = (cells: string[], font: string): void => {
      ensure(lh);
      pdf.font(font).fontSize(BODY.size);
      pdf.text(cells[0] ?? '', MARGIN.left, y, { lineBreak: false });
      pdf.text(cells[1] ?? '', col2, y, { lineBreak: false });
      note(cells.join(' '));
      y += lh;
    };
    row(header, BOLD);
    pdf
      .moveTo(MARGIN.left, y - 3)
      .lineTo(MARGIN.left + width, y - 3)
      .lineWidth(0.6)
      .stroke();
    for (const r of rows) row(r, BODY.font);
    y += BODY.size * 0.6;
  };

  // Cells stay at least two ems apart, as a typesetter would set them: a long first cell moves the
  // second column right (up to where the widest second cell still fits) instead of running into it.
  const secondColumnOffset = (header: string[], rows: string[][]): number => {
    const widest = (col: number): number =>
      Math.max(
        pdf
          .font(BOLD)
          .fontSize(BODY.size)
          .widthOfString(header[col] ?? ''),
        ...rows.map((r) =>
          pdf
            .font(BODY.font)
            .fontSize(BODY.size)
            .widthOfString(r[col] ?? ''),
        ),
      );
    const wanted = Math.max(width * 0.62, widest(0) + 2 * BODY.size);
    return Math.min(wanted, width - widest(1));
  };

  for (const b of doc.blocks) draw(b);

  const { count } = pdf.bufferedPageRange();
  for (let i = 0; i < count; i += 1) {
    pdf.switchToPage(i);
    pdf.font(BODY.font).fontSize(9);
    const footer = `${doc.title} - Page ${i + 1} of ${count}`;
    const fx = (PAGE.width - pdf.widthOfString(footer)) / 2;
    pdf.text(footer, fx, PAGE.height - MARGIN.bottom + 28, { lineBreak: false });
  }
  pdf.end();
  return { bytes: await done, pages: count, spanPages };
}
