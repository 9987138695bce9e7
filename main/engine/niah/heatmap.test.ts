import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderHeatmapPng, scoreColour } from './heatmap';

describe('scoreColour', () => {
  it('runs red -> amber -> green and clamps', () => {
    expect(scoreColour(0)).toBe('rgb(214,48,79)');
    expect(scoreColour(0.5)).toBe('rgb(235,181,56)');
    expect(scoreColour(1)).toBe('rgb(22,176,120)');
    expect(scoreColour(-3)).toBe(scoreColour(0));
    expect(scoreColour(7)).toBe(scoreColour(1));
  });
});

describe('renderHeatmapPng', () => {
  it('draws each cell in its score colour, is deterministic, and grows with the grid', () => {
    const data = {
      title: 'SnapKV, budget 64',
      lengths: [512, 1024],
      depths: [0, 0.5, 1],
      values: [
        [1, 0],
        [0.5, null],
        [0, 1],
      ],
    };
    const png = renderHeatmapPng(data);
    expect(renderHeatmapPng(data).equals(png)).toBe(true);
    const img = PNG.sync.read(png);
    const bigger = PNG.sync.read(renderHeatmapPng({ ...data, lengths: [1, 2, 3, 4] }));
    expect(bigger.width).toBeGreaterThan(img.width);
    // Cell (row 0, col 1) holds 0: red near its top-left corner (away from the printed value).
    const px = (x: number, y: number) =>
      Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));
    expect(px(90 + 64 + 6, 56 + 6)).toEqual([214, 48, 79]);
    expect(px(90 + 6, 56 + 6)).toEqual([22, 176, 120]);
    expect(px(90 + 64 + 6, 56 + 34 + 6)).toEqual([238, 238, 238]);
  });
});
