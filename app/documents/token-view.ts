/**
 * A tokenised view of a document: every token's character span and page.
 *
 * The tokenizer (in the engine) produces the spans; this maps them onto the document so the
 * heatmap and citations can point at text and pages.
 */
import { KvLensError } from '../errors';
import { pageIndexAt, type IngestedDocument } from './document';

export interface TokenView {
  /** Token i covers doc.text.slice(starts[i], ends[i]); tokens without text have start = end. */
  starts: Int32Array;
  ends: Int32Array;
  /** 0-based page index per token (the page of its first character), -1 for no page. */
  pages: Int32Array;
}

/**
 * Page index (0-based) per token span [start, end).
 *
 * A token that crosses a page break belongs to the page of its first character. A span with
 * start < 0 (a token that is not document text, e.g. a chat-template token) gets page -1.
 */
export function pagesForTokenSpans(
  pageStarts: Int32Array,
  textLength: number,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
): Int32Array {
  if (starts.length !== ends.length) {
    throw new KvLensError(
      'invalid-argument',
      `Token spans: ${starts.length} starts but ${ends.length} ends; they must have the same length.`,
    );
  }
  const pages = new Int32Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    if (s < 0) {
      pages[i] = -1;
      continue;
    }
    if (e < s || e > textLength) {
      throw new KvLensError(
        'invalid-argument',
        `Token ${i} has span [${s}, ${e}), outside the document text [0, ${textLength}) or reversed.`,
      );
    }
    pages[i] = pageIndexAt(pageStarts, s);
  }
  return pages;
}

/** Builds the token view of a document from the tokenizer's spans. */
export function createTokenView(
  doc: IngestedDocument,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
): TokenView {
  const pages = pagesForTokenSpans(doc.pageStarts, doc.text.length, starts, ends);
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends), pages };
}

/** Number of tokens on each page (index = page), for per-page summaries of a retention map. */
export function tokensPerPage(view: TokenView, pageCount: number): Int32Array {
  const counts = new Int32Array(pageCount);
  for (const p of view.pages) if (p >= 0 && p < pageCount) counts[p]!++;
  return counts;
}
