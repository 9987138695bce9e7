import { describe, expect, it } from 'vitest';
import { normaliseLayerScores, parseLayerScores } from './layer-scores';

describe('layer scores', () => {
  it('accepts an array or {avg_score: [...]} and L1-normalises', () => {
    expect(parseLayerScores([1, 3])).toEqual([0.25, 0.75]);
    expect(parseLayerScores({ avg_score: [2, 2], other: 1 })).toEqual([0.5, 0.5]);
  });

  it('returns already-normalised scores unchanged', () => {
    const e = [0.1, 0.2, 0.3, 0.4];
    expect(normaliseLayerScores(e)).toEqual(e);
  });

  it('rejects other shapes, negatives and all-zero scores with the source named', () => {
    expect(() => parseLayerScores({ scores: [1] }, 'f.json')).toThrow(/f\.json.*avg_score/);
    expect(() => parseLayerScores([1, -1], 'f.json')).toThrow(/layer 1/);
    expect(() => parseLayerScores([0, 0])).toThrow(/zero/);
    expect(() => parseLayerScores([1, 'x'])).toThrow(/layer 1/);
  });
});
