/**
 * The compact layers x positions overview: one row per layer, one column per bin of prompt
 * positions, shaded by the fraction of the bin that layer kept.
 */
import type { RetentionMap } from '../../app/kv/retention-map';

export interface OverviewGeometry {
  width: number;
  height: number;
  bins: number;
}

type Painter = Pick<CanvasRenderingContext2D, 'fillRect' | 'clearRect'> & { fillStyle: unknown };

/** Fraction kept per (layer, bin), row-major; reuses `out` when it has the right size. */
export function overviewFractions(
  map: RetentionMap,
  bins: number,
  out?: Float32Array,
): Float32Array {
  const L = map.layerCount;
  const T = Math.max(1, map.promptLength);
  const cells = out && out.length === L * bins ? out.fill(0) : new Float32Array(L * bins);
  const binSize = new Float32Array(bins);
  for (let b = 0; b < bins; b++) {
    binSize[b] = Math.floor(((b + 1) * T) / bins) - Math.floor((b * T) / bins);
  }
  for (let l = 0; l < L; l++) {
    const layer = map.layers[l];
    if (!layer) continue;
    // A per-KV-head layer counts the share of its heads keeping each position.
    const lists = layer.kind === 'shared' ? [layer.kept] : layer.kvHeads;
    const weight = 1 / Math.max(1, lists.length);
    for (const kept of lists) {
      for (let i = 0; i < kept.length; i++) {
        const b = Math.min(bins - 1, Math.floor((kept[i]! * bins) / T));
        cells[l * bins + b] = cells[l * bins + b]! + weight;
      }
    }
    for (let b = 0; b < bins; b++) {
      const size = binSize[b]!;
      cells[l * bins + b] = size > 0 ? Math.min(1, cells[l * bins + b]! / size) : 0;
    }
  }
  return cells;
}

/** Paints the overview; `highlight` marks the selected layer (null = none). */
export function drawOverview(
  ctx: Painter,
  map: RetentionMap,
  g: OverviewGeometry,
  highlight: number | null,
  cells: Float32Array,
): void {
  ctx.clearRect(0, 0, g.width, g.height);
  const L = Math.max(1, map.layerCount);
  const rowH = g.height / L;
  const colW = g.width / g.bins;
  for (let l = 0; l < map.layerCount; l++) {
    const dim = highlight !== null && highlight !== l;
    for (let b = 0; b < g.bins; b++) {
      const f = cells[l * g.bins + b] ?? 0;
      if (f <= 0) continue;
      const alpha = (0.12 + 0.85 * f) * (dim ? 0.35 : 1);
      ctx.fillStyle = `rgba(217, 119, 6, ${alpha.toFixed(3)})`;
      ctx.fillRect(b * colW, l * rowH, Math.ceil(colW), Math.max(1, rowH - 1));
    }
  }
}

/** The prompt position at canvas x (for click-to-jump). */
export function positionAtX(map: RetentionMap, g: OverviewGeometry, x: number): number {
  const f = Math.min(1, Math.max(0, x / Math.max(1, g.width)));
  return Math.min(map.promptLength - 1, Math.floor(f * map.promptLength));
}
