/**
 * Non-fatal findings about a PDF, collected into document warnings.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentWarning, PageInput } from '../../app/documents/document';
import type { RunningLine } from './layout/running-lines';

export interface ExtractionFacts {
  pages: PageInput[];
  /** 1-based pages that could not be read. */
  failed: number[];
  /** Words joined across a line-end hyphen. */
  joined: string[];
  ligatures: number;
  truncated: boolean;
  /** Page headers and footers left out of the text (layout/running-lines.ts). */
  runningLines: RunningLine[];
}

const MAX_LISTED = 20;

const listPages = (pages: number[]): string =>
  pages.slice(0, MAX_LISTED).join(', ') +
  (pages.length > MAX_LISTED ? `, ... (${pages.length} in all)` : '');

/** Warnings for the reader: pages without text, joined words, page headers left out, forms and
 * scripts ignored. */
export async function pdfWarnings(
  pdf: PDFDocumentProxy,
  facts: ExtractionFacts,
): Promise<DocumentWarning[]> {
  const out: DocumentWarning[] = [];
  if (facts.truncated) {
    out.push({
      code: 'truncated',
      message:
        'The file does not end with %%EOF, so it may be truncated; pages at the end may be missing.',
    });
  }
  if (facts.failed.length > 0) {
    out.push({
      code: 'page-error',
      message: `Pages ${listPages(facts.failed)} could not be read and are left empty.`,
      pages: facts.failed,
    });
  }
  const empty: number[] = [];
  facts.pages.forEach((p, i) => {
    if (!/\S/.test(p.text) && !facts.failed.includes(i + 1)) empty.push(i + 1);
  });
  if (empty.length > 0) {
    out.push({
      code: 'empty-pages',
      message: `Pages ${listPages(empty)} have no extractable text (images only?); OCR is not included.`,
      pages: empty,
    });
  }
  if (facts.joined.length > 0) {
    const examples = [...new Set(facts.joined)].slice(0, 5).join(', ');
    out.push({
      code: 'hyphenation-joined',
      message: `Joined ${facts.joined.length} word${facts.joined.length === 1 ? '' : 's'} hyphenated at line ends (e.g. ${examples}).`,
    });
  }
  if (facts.runningLines.length > 0) {
    const pages = [...new Set(facts.runningLines.flatMap((l) => l.pages))].sort((a, b) => a - b);
    const examples = facts.runningLines
      .slice(0, 3)
      .map((l) => `"${l.example}"`)
      .join(', ');
    out.push({
      code: 'running-lines',
      message:
        `Left out page headers and footers repeated on ${pages.length} pages (e.g. ${examples}); ` +
        'they would cut sentences at every page break.',
      pages,
    });
  }
  if (facts.ligatures > 0) {
    out.push({
      code: 'ligatures-normalised',
      message: `Expanded ${facts.ligatures} ligature or presentation-form characters (e.g. "ﬁ" -> "fi").`,
    });
  }
  if ((await pdf.getFieldObjects()) !== null) {
    out.push({
      code: 'forms-ignored',
      message:
        'The PDF has form fields; only the page text is read, field values are not included.',
    });
  }
  if ((await pdf.hasJSActions()) || (await pdf.getJSActions()) !== null) {
    out.push({
      code: 'javascript-ignored',
      message: 'The PDF contains JavaScript; it was not run (only the text is read).',
    });
  }
  return out;
}
