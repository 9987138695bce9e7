/**
 * Legend of the tints: how many layers kept a token (or kept/evicted for one layer).
 */
import { tintColor } from './tint';

export function HeatmapLegend({ layers, single }: { layers: number; single: boolean }) {
  const steps = single ? [0, 1] : Array.from(new Set([0, 1, Math.ceil(layers / 2), layers]));
  const max = single ? 1 : layers;
  return (
    <ul className="legend" aria-label="Heatmap legend">
      {steps.map((n) => (
        <li key={n}>
          <span className="swatch" style={{ background: tintColor(n, max) ?? 'transparent' }} />
          {single
            ? n === 0
              ? 'evicted'
              : 'kept'
            : n === 0
              ? 'kept by no layer'
              : `kept by ${n} of ${layers} layers`}
        </li>
      ))}
    </ul>
  );
}
