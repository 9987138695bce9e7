/**
 * Layers x positions overview canvas; clicking jumps the text to that place.
 */
import { useEffect, useRef } from 'react';
import { useStoreApi } from '../store/store-context';
import { drawOverview, overviewFractions, positionAtX } from './draw-overview';
import { nearestCharOfPosition } from './char-tokens';

const WIDTH = 480;
/** performance.measure name of one overview redraw. */
export const OVERVIEW_DRAW_MEASURE = 'kv-lens:overview-draw';
const BINS = 160;

export function LayerOverview({ jump }: { jump: (offset: number) => void }) {
  const store = useStoreApi();
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let frame = 0;
    let cells: Float32Array | undefined;
    const draw = () => {
      frame = 0;
      const startedAt = performance.now();
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext?.('2d');
      const { view, layer } = store.getState();
      if (!canvas || !ctx || !view) return;
      const height = Math.min(120, Math.max(32, view.map.layerCount * 6));
      if (canvas.height !== height) canvas.height = height;
      cells = overviewFractions(view.map, BINS, cells);
      drawOverview(ctx, view.map, { width: WIDTH, height, bins: BINS }, layer, cells);
      performance.measure(OVERVIEW_DRAW_MEASURE, { start: startedAt, end: performance.now() });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const off = store.subscribe((s, prev) => {
      if (s.view !== prev.view || s.layer !== prev.layer) schedule();
    });
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store]);

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const { view, layouts } = store.getState();
    const layout = view ? layouts[view.layoutKey] : undefined;
    if (!view || !layout) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / Math.max(1, rect.width)) * WIDTH;
    const g = { width: WIDTH, height: e.currentTarget.height, bins: BINS };
    jump(nearestCharOfPosition(layout, positionAtX(view.map, g, x)));
  };

  return (
    <canvas
      ref={canvasRef}
      className="layer-overview"
      width={WIDTH}
      height={48}
      role="img"
      aria-label="Layers by positions overview (click to jump to that place in the text)"
      onClick={onClick}
    />
  );
}
