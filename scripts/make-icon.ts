/**
 * Draws the app icon (assets/icon.png, 512x512): a page of text lines tinted like the retention
 * heatmap. Run with `npx tsx scripts/make-icon.ts`; the PNG is committed.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const SIZE = 512;
const png = new PNG({ width: SIZE, height: SIZE });

function put(x: number, y: number, rgb: readonly [number, number, number], alpha = 255): void {
  const i = (y * SIZE + x) * 4;
  png.data[i] = rgb[0];
  png.data[i + 1] = rgb[1];
  png.data[i + 2] = rgb[2];
  png.data[i + 3] = alpha;
}

function inRoundedRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

// Heat ramp from cool (evicted) to warm (kept by every layer).
const ramp: [number, number, number][] = [
  [56, 78, 120],
  [88, 130, 180],
  [240, 180, 70],
  [236, 96, 60],
];
// Fixed pattern of per-line "kept" levels so the icon is deterministic.
const heat = [3, 1, 0, 2, 3, 0, 1, 3, 2, 0, 1, 2];

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    if (!inRoundedRect(x, y, 16, 16, SIZE - 17, SIZE - 17, 96)) {
      put(x, y, [0, 0, 0], 0);
      continue;
    }
    let color: [number, number, number] = [24, 30, 44];
    if (inRoundedRect(x, y, 112, 72, 400, 440, 20)) color = [236, 238, 242];
    const line = Math.floor((y - 112) / 28);
    const inLine = (y - 112) % 28 < 14 && line >= 0 && line < 11;
    if (inLine && x >= 144 && x <= 368) {
      const seg = Math.floor((x - 144) / 56);
      const level = heat[(line + seg) % heat.length] ?? 0;
      color = ramp[level] ?? color;
    }
    put(x, y, color);
  }
}

writeFileSync(new URL('../assets/icon.png', import.meta.url), PNG.sync.write(png));
