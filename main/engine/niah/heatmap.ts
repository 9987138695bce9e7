/**
 * Needle-in-a-haystack heatmaps like the CompressKV paper's figures: needle depth (rows) by
 * context length (columns), each cell coloured by the mean score from red (0) through amber to
 * green (1), with the value printed, axis labels, a title and a colour scale legend. Drawn with
 * @napi-rs/canvas and encoded as PNG.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';

export interface HeatmapData {
  title: string;
  /** Column labels (context lengths) and row labels (depths), in drawing order. */
  lengths: readonly number[];
  depths: readonly number[];
  /** values[row][col] in [0, 1], or null for a cell without cases. */
  values: readonly (readonly (number | null)[])[];
}

const FONT = '"DejaVu Sans", "Liberation Sans", sans-serif';
const STOPS: [number, [number, number, number]][] = [
  [0, [214, 48, 79]],
  [0.5, [235, 181, 56]],
  [1, [22, 176, 120]],
];

/** The colour of a score in [0, 1] (clamped), as an rgb() string. */
export function scoreColour(v: number): string {
  const x = Math.min(1, Math.max(0, v));
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, c1] = STOPS[i]!;
    const [x0, c0] = STOPS[i - 1]!;
    if (x <= x1) {
      const t = (x - x0) / (x1 - x0);
      const c = c0.map((a, k) => Math.round(a + (c1[k]! - a) * t));
      return `rgb(${c.join(',')})`;
    }
  }
  return `rgb(${STOPS[STOPS.length - 1]![1].join(',')})`;
}

/** Renders one heatmap to PNG bytes. */
export function renderHeatmapPng(data: HeatmapData): Buffer {
  const cellW = 64;
  const cellH = 34;
  const left = 90;
  const top = 56;
  const cols = data.lengths.length;
  const rows = data.depths.length;
  const gridW = cols * cellW;
  const gridH = rows * cellH;
  // Wide enough for the title too (about 8.5 px per character at 15 px bold).
  const width = Math.max(left + gridW + 110, Math.ceil(data.title.length * 8.5) + 40);
  const height = top + gridH + 70;
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);

  text(g, data.title, width / 2, 26, 'bold 15px', 'center');
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data.values[r]?.[c] ?? null;
      const x = left + c * cellW;
      const y = top + r * cellH;
      g.fillStyle = v === null ? '#eeeeee' : scoreColour(v);
      g.fillRect(x, y, cellW, cellH);
      g.strokeStyle = '#ffffff';
      g.strokeRect(x + 0.5, y + 0.5, cellW - 1, cellH - 1);
      text(g, v === null ? '-' : v.toFixed(2), x + cellW / 2, y + cellH / 2 + 4, '12px', 'center');
    }
    text(
      g,
      `${Math.round(data.depths[r]! * 100)}%`,
      left - 8,
      top + r * cellH + cellH / 2 + 4,
      '12px',
      'right',
    );
  }
  data.lengths.forEach((n, c) =>
    text(g, String(n), left + c * cellW + cellW / 2, top + gridH + 18, '12px', 'center'),
  );
  text(g, 'Context length (tokens)', left + gridW / 2, top + gridH + 44, '13px', 'center');
  g.save();
  g.translate(24, top + gridH / 2);
  g.rotate(-Math.PI / 2);
  text(g, 'Needle depth', 0, 0, '13px', 'center');
  g.restore();

  // Colour scale legend: a vertical bar from 0 (bottom) to 1 (top) with ticks.
  const barX = left + gridW + 28;
  const barH = Math.max(gridH, 100);
  for (let i = 0; i < barH; i++) {
    g.fillStyle = scoreColour(1 - i / (barH - 1));
    g.fillRect(barX, top + i, 18, 1);
  }
  g.strokeStyle = '#444444';
  g.strokeRect(barX + 0.5, top + 0.5, 18, barH);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + (1 - t) * (barH - 1);
    g.fillStyle = '#444444';
    g.fillRect(barX + 18, y, 4, 1);
    text(g, t.toFixed(2), barX + 26, y + 4, '11px', 'left');
  }
  text(g, 'score', barX + 9, top - 8, '11px', 'center');
  return canvas.toBuffer('image/png');
}

function text(
  g: SKRSContext2D,
  s: string,
  x: number,
  y: number,
  font: string,
  align: CanvasTextAlign,
): void {
  g.font = `${font} ${FONT}`;
  g.textAlign = align;
  g.fillStyle = '#222222';
  g.fillText(s, x, y);
}
