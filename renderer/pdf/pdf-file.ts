/**
 * The PDF of the open document in the window, through pdf.js as a browser package: its worker
 * is a separate file Vite emits next to the bundle (loaded from 'self', so the strict CSP holds),
 * and pdf.js is told not to evaluate strings (the CSP forbids eval).
 *
 * pdf.js is imported when the first page is shown: it is a large chunk the text view never
 * needs, and it touches canvas APIs (DOMMatrix) at load that jsdom-based tests do not have.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/** An open PDF; dispose() ends its worker-side document. */
export interface PdfFile {
  readonly pages: number;
  /** Draws page `index` (0-based) into `canvas` at `scale` CSS pixels per PDF unit. */
  render(index: number, canvas: HTMLCanvasElement, scale: number): Promise<void>;
  dispose(): void;
}

/** Opens the PDF's bytes (copied: pdf.js takes ownership of the buffer it is given). */
export async function openPdfFile(bytes: Uint8Array): Promise<PdfFile> {
  const { GlobalWorkerOptions, getDocument } = await import('pdfjs-dist');
  GlobalWorkerOptions.workerSrc = workerUrl;
  const doc: PDFDocumentProxy = await getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    // The window has no network: never fetch fonts or character maps from elsewhere.
    disableAutoFetch: true,
  }).promise;
  let current: { cancel(): void } | null = null;
  return {
    pages: doc.numPages,
    async render(index, canvas, scale) {
      current?.cancel();
      const page = await doc.getPage(index + 1);
      const dpr = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: scale * dpr });
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      canvas.style.width = `${viewport.width / dpr}px`;
      canvas.style.height = `${viewport.height / dpr}px`;
      const task = page.render({ canvas, viewport });
      current = task;
      try {
        await task.promise;
      } finally {
        if (current === task) current = null;
      }
    },
    dispose() {
      current?.cancel();
      void doc.destroy();
    },
  };
}
