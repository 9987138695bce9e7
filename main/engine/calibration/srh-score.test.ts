import { describe, expect, it } from 'vitest';
import { meanScores, rankHeads } from './head-ranking';
import { SrhAccumulator } from './srh-score';

// A 10-token prompt whose answer span is positions 4..6 (ids 40, 41, 40: a repeated token).
const prompt = [1, 2, 3, 9, 40, 41, 40, 7, 8, 5];
const span = [4, 5, 6];
const H = 4;

/** [H, C] rows: head 0 only on the span, head 1 only off it, head 2 uniform, head 3 one copy. */
function rows(C: number, copyAt: number): Float32Array {
  const r = new Float32Array(H * C);
  for (const j of span) r[0 * C + j] = 1 / span.length;
  r[1 * C + 0] = 0.5;
  r[1 * C + 8] = 0.5;
  for (let j = 0; j < C; j++) r[2 * C + j] = 1 / C;
  r[3 * C + copyAt] = 0.9;
  r[3 * C + 0] = 0.1;
  return r;
}

describe('SrhAccumulator', () => {
  it('ranks a head that looks only at the answer span first and one that looks elsewhere last', () => {
    const acc = new SrhAccumulator(2, H, prompt, span);
    // Generated: 41 (copied once), 40 (occurs twice in the span), 99 (not in the answer).
    acc.addStep(41, [rows(10, 5), rows(10, 5)]);
    acc.addStep(40, [rows(11, 4), rows(11, 4)]);
    acc.addStep(99, [rows(12, 2), rows(12, 2)]);
    const { srh } = acc.result();
    // Head 0: span mass 1 per matching position: 1 (for 41) + 2 (40 twice) = 3.
    expect(srh[0]![0]).toBeCloseTo(3, 6);
    expect(srh[0]![1]).toBe(0);
    // Uniform head: 3 span columns out of C, credited 1x then 2x.
    expect(srh[0]![2]).toBeCloseTo(3 / 10 + (2 * 3) / 11, 6);
    // Head 3 puts 0.9 on one span position in both steps.
    expect(srh[0]![3]).toBeCloseTo(0.9 + 2 * 0.9, 6);
    const ranking = rankHeads(meanScores([srh], 2, H));
    expect(ranking['0']![0]).toBe(0);
    expect(ranking['0']![H - 1]).toBe(1);
  });

  it('scores the traditional retrieval head by the top-1 position copying the token', () => {
    const acc = new SrhAccumulator(1, H, prompt, span);
    acc.addStep(41, [rows(10, 5)]); // head 3's top-1 is position 5 = 41: a copy
    acc.addStep(40, [rows(11, 6)]); // top-1 position 6 = 40: a copy
    acc.addStep(41, [rows(12, 4)]); // top-1 position 4 holds 40, the token is 41: no credit
    const { retrieval } = acc.result();
    expect(retrieval[0]![3]).toBeCloseTo(2 / 3, 6);
    // Head 1's top-1 (position 0) is never in the span.
    expect(retrieval[0]![1]).toBe(0);
  });

  it('rejects rows that do not cover the prompt and answer positions outside it', () => {
    const acc = new SrhAccumulator(1, H, prompt, span);
    expect(() => acc.addStep(40, [new Float32Array(H * 5)])).toThrow(/does not cover/);
    expect(() => new SrhAccumulator(1, H, prompt, [12])).toThrow(/outside/);
    expect(() => new SrhAccumulator(1, H, prompt, [])).toThrow(/empty/);
  });
});

describe('meanScores and rankHeads', () => {
  it('averages probes and lists every head once per layer, best first, ties by index', () => {
    const a = [
      [1, 0, 3],
      [0, 0, 0],
    ];
    const b = [
      [3, 0, 1],
      [0, 2, 0],
    ];
    const m = meanScores([a, b], 2, 3);
    expect(m).toEqual([
      [2, 0, 2],
      [0, 1, 0],
    ]);
    expect(rankHeads(m)).toEqual({ '0': [0, 2, 1], '1': [1, 0, 2] });
    expect(meanScores([], 1, 2)).toEqual([[0, 0]]);
  });
});
