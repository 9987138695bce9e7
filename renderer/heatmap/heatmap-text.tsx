/**
 * The document text, virtualised: only rows in view are in the DOM, and a canvas behind them
 * paints each token's tint. Tints follow the store through subscribe + requestAnimationFrame, so
 * dragging the budget never re-renders the text.
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useApp, useStoreApi } from '../store/store-context';
import { computeRows, rowOfChar } from './text-rows';
import { charTokenIndex } from './char-tokens';
import { drawTints } from './draw-tints';
import { tintPalette } from './tint';
import { layerCounts } from '../../app/ipc/retention-view';
import type { AppStore } from '../store/store-types';

export const LINE_HEIGHT = 20;
/** performance.measure name of one text-tint redraw. */
export const HEATMAP_DRAW_MEASURE = 'kv-lens:heatmap-draw';
const PADDING = 12;
const OVERSCAN = 10;
const FONT = '13px ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace';

function measureCharWidth(): number {
  const ctx = document.createElement('canvas').getContext?.('2d');
  if (!ctx) return 7.8;
  ctx.font = FONT;
  return ctx.measureText('M'.repeat(100)).width / 100 || 7.8;
}

/** Imperative handle: scroll so that character `offset` is near the top. */
export type JumpToChar = (offset: number) => void;

export function HeatmapText({ jumpRef }: { jumpRef: RefObject<JumpToChar | null> }) {
  const content = useApp((s) => s.content);
  const store = useStoreApi();
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [charWidth] = useState(measureCharWidth);
  const [width, setWidth] = useState(800);
  const [height, setHeight] = useState(600);
  const [scrollTop, setScrollTop] = useState(0);

  const text = content?.text ?? '';
  const cols = Math.max(20, Math.floor((width - 2 * PADDING) / charWidth));
  const rows = useMemo(() => computeRows(text, cols), [text, cols]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth || 800);
      setHeight(el.clientHeight || 600);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  jumpRef.current = (offset: number) => {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollTop = Math.max(0, rowOfChar(rows, offset) * LINE_HEIGHT - LINE_HEIGHT * 2);
    setScrollTop(el.scrollTop);
  };

  // Tint drawing: cached per (view, layer) and (layout, text); redrawn once per frame at most.
  useEffect(() => {
    let frame = 0;
    let countsFor: { view: unknown; layer: number | null } = { view: null, layer: null };
    let counts: Uint8Array = new Uint8Array(0);
    let tokensKey: unknown = null;
    let charToken: Int32Array = new Int32Array(0);
    const draw = () => {
      frame = 0;
      const startedAt = performance.now();
      const canvas = canvasRef.current;
      const el = scrollRef.current;
      const ctx = canvas?.getContext?.('2d');
      if (!canvas || !el || !ctx) return;
      const s: AppStore = store.getState();
      const dpr = window.devicePixelRatio || 1;
      const w = el.clientWidth;
      const h = el.clientHeight;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      // CSS size = drawing size / dpr, so one canvas pixel row is never stretched over another.
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      canvas.style.top = `${el.scrollTop}px`;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const view = s.view;
      const layout = view ? s.layouts[view.layoutKey] : undefined;
      if (!view || !layout) return;
      if (countsFor.view !== view || countsFor.layer !== s.layer) {
        counts = layerCounts(view.map, s.layer, counts);
        countsFor = { view, layer: s.layer };
      }
      if (tokensKey !== layout || charToken.length !== text.length) {
        charToken = charTokenIndex(layout, text.length);
        tokensKey = layout;
      }
      const first = Math.floor(el.scrollTop / LINE_HEIGHT);
      drawTints(ctx, {
        rows,
        firstRow: first,
        lastRow: first + Math.ceil(h / LINE_HEIGHT) + 1,
        top: first * LINE_HEIGHT - el.scrollTop,
        lineHeight: LINE_HEIGHT,
        charWidth,
        paddingLeft: PADDING,
        charToken,
        counts,
        docTokenStart: layout.docTokenStart,
        palette: tintPalette(s.layer === null ? view.map.layerCount : 1),
      });
      // What the heatmap benchmark reads: one redraw, layer counts included.
      performance.measure(HEATMAP_DRAW_MEASURE, { start: startedAt, end: performance.now() });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.view !== prev.view || s.layer !== prev.layer || s.layouts !== prev.layouts) schedule();
    });
    const el = scrollRef.current;
    el?.addEventListener('scroll', schedule, { passive: true });
    return () => {
      unsubscribe();
      el?.removeEventListener('scroll', schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store, rows, text, charWidth, width, height]);

  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.count, Math.ceil((scrollTop + height) / LINE_HEIGHT) + OVERSCAN);
  const visible = [];
  for (let r = first; r < last; r++) {
    visible.push(
      <div key={r} className="text-row" style={{ top: r * LINE_HEIGHT, left: PADDING }}>
        {text.slice(rows.starts[r], rows.ends[r])}
      </div>,
    );
  }

  return (
    <div
      ref={scrollRef}
      className="heatmap-scroll"
      aria-label="Document text"
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="heatmap-content" style={{ height: rows.count * LINE_HEIGHT }}>
        <canvas ref={canvasRef} className="tint-canvas" aria-hidden="true" />
        {visible}
      </div>
    </div>
  );
}
