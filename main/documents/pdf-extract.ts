/**
 * PDF -> IngestedDocument: page by page, with progress, cancellation and bounded memory.
 */
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { CancelledError, KvLensError } from '../../app/errors';
import {
  createDocument,
  type DocumentWarning,
  type IngestedDocument,
  type PageInput,
} from '../../app/documents/document';
import { resolveLimits, type IngestOptions } from '../../app/documents/ingest-options';
import { layoutPage } from './layout/page-layout';
import { removeRunningLines } from './layout/running-lines';
import { openPdf } from './pdf-loader';
import { pdfWarnings } from './pdf-warnings';

/**
 * Extracts the text of every page with per-character boxes.
 *
 * Pages are read one at a time and their pdf.js objects released (page.cleanup()) before the
 * next, so memory grows with the extracted text only. Throws KvLensError: 'encrypted',
 * 'corrupt', 'too-large' (page count), 'no-text' (no page has a text layer), 'cancelled'.
 */
export async function extractPdf(
  data: Uint8Array,
  name: string,
  options: IngestOptions = {},
): Promise<IngestedDocument> {
  const { signal, onProgress } = options;
  const limits = resolveLimits(options.limits);
  const truncated = !hasEofMarker(data);
  if (signal?.aborted) throw new CancelledError(`Reading "${name}"`);
  const pdf = await openPdf(data, name, options.password);
  try {
    const n = pdf.numPages;
    if (n > limits.maxPages) {
      throw new KvLensError(
        'too-large',
        `"${name}" has ${n} pages; the limit is ${limits.maxPages} pages. Split the PDF or raise the page limit.`,
        { pages: n, maxPages: limits.maxPages },
      );
    }
    const pages: PageInput[] = [];
    const joined: string[] = [];
    const failed: number[] = [];
    let ligatures = 0;
    for (let p = 1; p <= n; p++) {
      if (signal?.aborted) throw new CancelledError(`Reading "${name}"`);
      try {
        const page = await pdf.getPage(p);
        try {
          const viewport = page.getViewport({ scale: 1 });
          const content = await page.getTextContent({ disableNormalization: true });
          const items = content.items.filter((i): i is TextItem => 'str' in i);
          const layout = layoutPage(items, content.styles, viewport.transform);
          joined.push(...layout.joinedWords);
          ligatures += layout.ligatures;
          pages.push({
            text: layout.text,
            boxes: layout.boxes,
            width: viewport.width,
            height: viewport.height,
            rotation: page.rotate,
            vertical: layout.vertical,
          });
        } finally {
          page.cleanup();
        }
      } catch (err) {
        if (err instanceof KvLensError) throw err;
        // One broken page must not cost the rest of the document.
        failed.push(p);
        pages.push({ text: '', boxes: new Float32Array(0), width: 0, height: 0, rotation: 0 });
      }
      onProgress?.({ page: p, pages: n });
    }
    if (failed.length === n) {
      throw new KvLensError(
        'corrupt',
        `"${name}" is damaged: none of its ${n} pages could be read.`,
      );
    }
    if (!pages.some((pg) => /\S/.test(pg.text))) {
      throw new KvLensError(
        'no-text',
        `"${name}" has no extractable text on any of its ${n} page${n === 1 ? '' : 's'}; it is ` +
          'probably scanned images. OCR is not included: run it through an OCR tool to add a text layer, then open it again.',
      );
    }
    const body = removeRunningLines(pages);
    const warnings: DocumentWarning[] = await pdfWarnings(pdf, {
      pages,
      failed,
      joined,
      ligatures,
      truncated,
      runningLines: body.removed,
    });
    return createDocument(name, 'pdf', body.pages, warnings);
  } finally {
    await pdf.destroy();
  }
}

// A complete PDF ends with %%EOF (give or take trailing whitespace or junk).
function hasEofMarker(data: Uint8Array): boolean {
  const tail = new TextDecoder('latin1').decode(data.subarray(Math.max(0, data.length - 1024)));
  return tail.includes('%%EOF');
}
