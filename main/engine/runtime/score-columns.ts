/**
 * Maps a layer's attn_scores from the graph's capacity layout to cache index layout.
 *
 * The graph scores every column of the past buffer: [H, C + S] with columns 0..len-1 the valid
 * past entries, len..C-1 the spare slots (exactly 0) and C..C+S-1 this step's new entries. The
 * policies (ScoreInput) want [H, len + S]: column j = cache entry j after the append.
 */

/** [H, C + S] capacity-layout scores -> [H, len + S]; the input itself when C === len. */
export function toCacheColumns(
  scores: Float32Array,
  H: number,
  capacity: number,
  length: number,
  S: number,
): Float32Array {
  const from = capacity + S;
  if (scores.length !== H * from) {
    throw new Error(`attn_scores has ${scores.length} values, want ${H}x${from}`);
  }
  if (capacity === length) return scores;
  const to = length + S;
  const out = new Float32Array(H * to);
  for (let h = 0; h < H; h++) {
    const row = scores.subarray(h * from, (h + 1) * from);
    out.set(row.subarray(0, length), h * to);
    out.set(row.subarray(capacity), h * to + length);
  }
  return out;
}
