import { describe, it, expect } from 'vitest';
import { drawTints } from './draw-tints';
import { overviewFractions, positionAtX } from './draw-overview';
import { computeRows } from './text-rows';
import { charTokenIndex } from './char-tokens';
import { tintPalette } from './tint';
import type { RetentionMap } from '../../app/kv/retention-map';

function recorder() {
  const rects: { style: unknown; x: number; y: number; w: number; h: number }[] = [];
  return {
    rects,
    ctx: {
      fillStyle: '' as unknown,
      fillRect(x: number, y: number, w: number, h: number) {
        rects.push({ style: this.fillStyle, x, y, w, h });
      },
    },
  };
}

describe('tint drawing', () => {
  it('paints one rectangle per run of equally kept characters, at monospace positions', () => {
    const text = 'aa bbb cc';
    // Tokens: "aa " (pos 2), "bbb " (pos 3), "cc" (pos 4); doc starts at prompt position 2.
    const layout = { key: 'k', docTokenStart: 2, spans: new Int32Array([0, 3, 3, 7, 7, 9]) };
    const counts = new Uint8Array([0, 0, 2, 0, 1]);
    const { ctx, rects } = recorder();
    const n = drawTints(ctx, {
      rows: computeRows(text, 80),
      firstRow: 0,
      lastRow: 1,
      top: 10,
      lineHeight: 20,
      charWidth: 8,
      paddingLeft: 4,
      charToken: charTokenIndex(layout, text.length),
      counts,
      docTokenStart: 2,
      palette: tintPalette(2),
    });
    expect(n).toBe(2);
    expect(rects[0]).toMatchObject({ x: 4, y: 10, w: 24, h: 20 });
    expect(rects[1]).toMatchObject({ x: 4 + 7 * 8, w: 16 });
    expect(rects[0]!.style).not.toBe(rects[1]!.style);
  });
});

describe('overview', () => {
  const map = {
    promptLength: 8,
    layerCount: 2,
    layers: [
      { kind: 'shared', kept: new Int32Array([0, 1, 2, 3]) },
      { kind: 'per-kv-head', kvHeads: [new Int32Array([4, 5]), new Int32Array([4, 7])] },
    ],
  } as unknown as RetentionMap;

  it('computes the kept fraction per layer and bin', () => {
    const cells = overviewFractions(map, 2);
    expect(Array.from(cells)).toEqual([1, 0, 0, 0.5]);
  });

  it('maps a click x to a prompt position', () => {
    const g = { width: 100, height: 10, bins: 2 };
    expect(positionAtX(map, g, 0)).toBe(0);
    expect(positionAtX(map, g, 60)).toBe(4);
    expect(positionAtX(map, g, 1000)).toBe(7);
  });
});
