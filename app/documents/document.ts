/**
 * The document model shared by every process: pages, the full text and where each page starts.
 *
 * Offsets are JavaScript string indices (UTF-16 code units) into `text`, the same unit the
 * tokenizer reports spans in, so a token span can be looked up without conversion.
 */

export type DocumentKind = 'pdf' | 'text' | 'markdown';

/** Text inserted between pages in the full text; belongs to no page's text. */
export const PAGE_SEPARATOR = '\n\n';

/**
 * What goes between two pages in the full text: a space where a sentence runs on over the page
 * break (the page before ends in a lower-case letter or a comma and the next starts with a
 * lower-case letter), else PAGE_SEPARATOR. A paragraph break in the middle of a sentence reads
 * to a language model as two fragments.
 */
export function pageSeparator(before: string, after: string): string {
  return /[\p{Ll},]$/u.test(before) && /^\p{Ll}/u.test(after) ? ' ' : PAGE_SEPARATOR;
}

export type DocumentWarningCode =
  | 'hyphenation-joined'
  | 'ligatures-normalised'
  | 'running-lines'
  | 'empty-pages'
  | 'forms-ignored'
  | 'javascript-ignored'
  | 'truncated'
  | 'page-error'
  | 'encoding';

/** Something the reader should know about the extraction; never fatal. */
export interface DocumentWarning {
  code: DocumentWarningCode;
  message: string;
  /** 1-based page numbers the warning is about, when it is about pages. */
  pages?: number[];
}

/** One page as extracted. */
export interface PageInput {
  text: string;
  /** Page size in PDF units (1/72 inch) as displayed, i.e. after the page's rotation. */
  width: number;
  height: number;
  /** The page's /Rotate in degrees (0, 90, 180, 270). */
  rotation: number;
  /**
   * Four floats per UTF-16 unit of `text`: x, y, w, h in PDF units, origin at the top-left
   * corner of the displayed page, y down (pdf.js viewport coordinates at scale 1). Characters
   * the extractor inserted (line breaks, spaces between text runs) have w = h = 0. Null for
   * files without a page layout (plain text, Markdown).
   */
  boxes: Float32Array | null;
  /**
   * True when the page's main text runs top to bottom as displayed (rotated pages, sideways
   * text), so highlights merge boxes vertically instead of horizontally.
   */
  vertical?: boolean;
}

export interface DocumentPage extends PageInput {
  /** 1-based page number. */
  number: number;
  /** Offset of the page's first character in the document's full text. */
  start: number;
}

export interface IngestedDocument {
  /** File name shown to the user (no directories). */
  name: string;
  kind: DocumentKind;
  pages: DocumentPage[];
  /** Page texts joined with pageSeparator(). */
  text: string;
  /** pageStarts[i] = pages[i].start; kept as one array for fast span -> page lookups. */
  pageStarts: Int32Array;
  warnings: DocumentWarning[];
}

/** Builds a document from page texts, computing the full text and page offsets. */
export function createDocument(
  name: string,
  kind: DocumentKind,
  inputs: readonly PageInput[],
  warnings: DocumentWarning[] = [],
): IngestedDocument {
  const pageStarts = new Int32Array(inputs.length);
  const pages: DocumentPage[] = [];
  let text = '';
  inputs.forEach((input, i) => {
    if (input.boxes && input.boxes.length !== input.text.length * 4) {
      throw new Error(
        `Page ${i + 1} of ${name}: ${input.boxes.length} box values for ${input.text.length} characters (need 4 each).`,
      );
    }
    if (i > 0) text += pageSeparator(inputs[i - 1]!.text, input.text);
    pageStarts[i] = text.length;
    pages.push({ ...input, number: i + 1, start: text.length });
    text += input.text;
  });
  return { name, kind, pages, text, pageStarts, warnings };
}

/**
 * Index (0-based) of the page holding the character at `offset`.
 *
 * Separator characters between pages count as the end of the page before them; offsets past
 * the end map to the last page. Returns -1 for a document without pages or a negative offset.
 */
export function pageIndexAt(pageStarts: Int32Array, offset: number): number {
  if (pageStarts.length === 0 || offset < 0) return -1;
  let lo = 0;
  let hi = pageStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pageStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
