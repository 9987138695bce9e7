/**
 * The page view of a PDF: pdf.js draws the page, and a canvas over it tints each kept token's
 * character boxes by how many layers kept it. Tints follow the store through subscribe +
 * requestAnimationFrame (as the text view does), so dragging the budget never re-renders React.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { pageIndexAt } from '../../app/documents/document';
import { layerCounts } from '../../app/ipc/retention-view';
import type { PageLayout } from '../../app/ipc/views';
import { useApp, useStoreApi } from '../store/store-context';
import type { JumpToChar } from '../heatmap/heatmap-text';
import { tintPalette } from '../heatmap/tint';
import { drawPageTints, pageTintRuns } from './page-tints';
import { openPdfFile, type PdfFile } from './pdf-file';

/** performance.measure name of one page-tint redraw. */
export const PAGE_TINT_MEASURE = 'kv-lens:page-tint-draw';
const MARGIN = 24;
const MAX_SCALE = 2;

interface Props {
  documentId: string;
  pages: number;
  jumpRef: RefObject<JumpToChar | null>;
}

export function PdfPageView({ documentId, pages, jumpRef }: Props) {
  const store = useStoreApi();
  const content = useApp((s) => s.content);
  const fetchPdf = useApp((s) => s.fetchPdf);
  const fetchPageLayout = useApp((s) => s.fetchPageLayout);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pageRef = useRef<HTMLCanvasElement>(null);
  const tintRef = useRef<HTMLCanvasElement>(null);
  const [file, setFile] = useState<PdfFile | null>(null);
  const [index, setIndex] = useState(0);
  const [layout, setLayout] = useState<PageLayout | null>(null);
  const [width, setWidth] = useState(800);
  const [drawn, setDrawn] = useState(0);
  const pageCount = file?.pages ?? pages;
  const text = content?.text ?? '';
  const scale = layout
    ? Math.min(MAX_SCALE, Math.max(0.25, (width - MARGIN) / Math.max(1, layout.width)))
    : 1;

  jumpRef.current = (offset: number) => {
    if (!content) return;
    setIndex(Math.max(0, pageIndexAt(Int32Array.from(content.pageStarts), offset)));
  };

  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 800));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    let alive = true;
    let opened: PdfFile | null = null;
    setFile(null);
    setIndex(0);
    void fetchPdf(documentId).then(async (bytes) => {
      if (!bytes || !alive) return;
      try {
        opened = await openPdfFile(bytes);
      } catch (err) {
        store.getState().showError(err);
        return;
      }
      if (alive) setFile(opened);
      else opened.dispose();
    });
    return () => {
      alive = false;
      opened?.dispose();
    };
  }, [documentId, fetchPdf, store]);

  useEffect(() => {
    let alive = true;
    setLayout(null);
    void fetchPageLayout(documentId, index).then((l) => {
      if (alive) setLayout(l);
    });
    return () => {
      alive = false;
    };
  }, [documentId, index, fetchPageLayout]);

  useEffect(() => {
    const canvas = pageRef.current;
    if (!file || !layout || !canvas) return;
    let alive = true;
    file.render(index, canvas, scale).then(
      () => alive && setDrawn((n) => n + 1),
      (err: unknown) => {
        // A newer render (another page, a resize) cancelled this one: not an error.
        if ((err as { name?: string }).name !== 'RenderingCancelledException') {
          store.getState().showError(err);
        }
      },
    );
    return () => {
      alive = false;
    };
  }, [file, layout, index, scale, store]);

  useEffect(() => {
    let frame = 0;
    const draw = () => {
      frame = 0;
      const startedAt = performance.now();
      const canvas = tintRef.current;
      const ctx = canvas?.getContext?.('2d');
      if (!canvas || !ctx || !layout) return;
      const dpr = window.devicePixelRatio || 1;
      const w = layout.width * scale;
      const h = layout.height * scale;
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const s = store.getState();
      const view = s.view;
      const tokens = view ? s.layouts[view.layoutKey] : undefined;
      if (!view || !tokens) return;
      const runs = pageTintRuns(layout, text, tokens, layerCounts(view.map, s.layer));
      const palette = tintPalette(s.layer === null ? view.map.layerCount : 1);
      drawPageTints(ctx, runs, palette, scale);
      performance.measure(PAGE_TINT_MEASURE, { start: startedAt, end: performance.now() });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.view !== prev.view || s.layer !== prev.layer || s.layouts !== prev.layouts) schedule();
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store, layout, text, scale, drawn]);

  return (
    <div className="page-view">
      <div className="page-toolbar">
        <button disabled={index === 0} onClick={() => setIndex((i) => Math.max(0, i - 1))}>
          Previous page
        </button>
        <span>
          Page {index + 1} of {pageCount}
        </span>
        <button
          disabled={index + 1 >= pageCount}
          onClick={() => setIndex((i) => Math.min(pageCount - 1, i + 1))}
        >
          Next page
        </button>
      </div>
      <div ref={scrollRef} className="page-scroll" aria-label="PDF page" tabIndex={0}>
        <div className="page-stack">
          <canvas ref={pageRef} className="pdf-page-canvas" />
          <canvas ref={tintRef} className="pdf-tint-canvas" aria-hidden="true" />
        </div>
      </div>
    </div>
  );
}
