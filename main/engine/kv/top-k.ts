/**
 * Top-k selection by partial selection (quickselect), not a full sort: the budget slider
 * re-selects every layer and KV head on each move.
 */

// Reused between calls: the slider calls this L x G times per move on arrays of up to T entries.
let scratch = new Int32Array(0);

/**
 * Positions of the k highest of `scores[0..n)`, sorted ascending.
 *
 * Ties go to the lower position (the order is total: higher score first, then lower position),
 * so the result is deterministic. NaN ranks below every number. k <= 0 gives an empty array;
 * k >= n gives 0..n-1.
 */
export function topKPositions(scores: ArrayLike<number>, n: number, k: number): Int32Array {
  if (k <= 0) return new Int32Array(0);
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const s = asFloat64(scores, n);
  if (scratch.length < n) scratch = new Int32Array(n);
  const idx = scratch;
  for (let i = 0; i < n; i++) idx[i] = i;
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  // Comparisons are written out inline ("a ranks before b": s[a] > s[b], or equal and a < b):
  // a comparator closure made this several times slower.
  while (hi > lo) {
    // Median of three as pivot keeps sorted and reverse-sorted score runs linear.
    const mid = (lo + hi) >>> 1;
    if (before(s, idx[mid]!, idx[lo]!)) swap(idx, mid, lo);
    if (before(s, idx[hi]!, idx[lo]!)) swap(idx, hi, lo);
    if (before(s, idx[hi]!, idx[mid]!)) swap(idx, hi, mid);
    const p = idx[mid]!;
    const pv = s[p]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      for (;;) {
        const a = idx[i]!;
        const v = s[a]!;
        if (v > pv || (v === pv && a < p)) i++;
        else break;
      }
      for (;;) {
        const b = idx[j]!;
        const v = s[b]!;
        if (pv > v || (v === pv && p < b)) j--;
        else break;
      }
      if (i <= j) {
        swap(idx, i, j);
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return idx.slice(0, k).sort();
}

function before(s: Float64Array, a: number, b: number): boolean {
  return s[a]! > s[b]! || (s[a] === s[b] && a < b);
}

/** The scores as a Float64Array without NaN (NaN -> -Infinity); no copy when already so. */
function asFloat64(scores: ArrayLike<number>, n: number): Float64Array {
  if (scores instanceof Float64Array) {
    let clean = true;
    for (let i = 0; i < n; i++) {
      if (scores[i] !== scores[i]) {
        clean = false;
        break;
      }
    }
    if (clean) return scores;
  }
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[i]!;
    s[i] = v === v ? v : -Infinity;
  }
  return s;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
