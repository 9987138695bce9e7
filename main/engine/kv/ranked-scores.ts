/**
 * One score array that answers top-k queries for many k (the budget slider).
 *
 * The first query runs quickselect (O(n)). From the second on, a sorted copy of the values is
 * made once; then the k-th largest value is a lookup and the kept set is one ascending scan
 * (O(n) with a tiny constant, no comparisons between positions). This is what keeps slider
 * moves in the millisecond range at T = 32k.
 */
import { topKPositions } from './top-k';

export class RankedScores {
  readonly n: number;
  private readonly scores: Float64Array;
  private ascending: Float64Array | undefined;
  private queries = 0;

  /** `scores` must not contain NaN and must not change afterwards. */
  constructor(scores: Float64Array) {
    this.scores = scores;
    this.n = scores.length;
  }

  /**
   * Positions of the k highest among the first `limit` scores only (same order and ties as top).
   * Used when the last positions are kept regardless of score (the question, keep-layer.ts).
   */
  topBelow(limit: number, k: number): Int32Array {
    if (limit >= this.n) return this.top(k);
    return topKPositions(this.scores, Math.max(0, limit), k);
  }

  /** Positions of the k highest scores, ties to the lower position, sorted ascending. */
  top(k: number): Int32Array {
    const n = this.n;
    if (k <= 0) return new Int32Array(0);
    if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
    this.queries++;
    if (this.queries === 1 && !this.ascending) return topKPositions(this.scores, n, k);
    this.ascending ??= this.scores.slice().sort();
    const asc = this.ascending;
    const v = asc[n - k]!;
    // Values strictly above v all make it; ties at v fill the rest from the lowest position.
    let lo = n - k;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (asc[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    let ties = k - (n - lo);
    const s = this.scores;
    const out = new Int32Array(k);
    let c = 0;
    for (let j = 0; j < n; j++) {
      const x = s[j]!;
      if (x > v) out[c++] = j;
      else if (x === v && ties > 0) {
        out[c++] = j;
        ties--;
      }
    }
    return out;
  }
}
