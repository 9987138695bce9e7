/**
 * The attention statistics the runtime hands to the policies after the prompt's prefill.
 *
 * All policies read from this; none runs the model. Treat the arrays as immutable once passed
 * in: derived scores are cached per ScoreInput object so the budget slider can re-select fast.
 */

export interface LayerScoreInput {
  /**
   * [H, T] row-major: for query head h, the sum over the last W prompt rows (the window) of the
   * softmax probabilities over all T prompt columns (the graph's attn_scores output with the
   * window rows selected). Columns j >= T - W are the window itself and are never scored.
   */
  window: Float32Array;
  /** [H, T] row-major: the same sum over ALL prompt rows (causal); needed by H2O only. */
  accumulated?: Float32Array;
}

export interface ScoreInput {
  /** Query heads per layer. */
  H: number;
  /** KV heads per layer; H must be a multiple of G (query head h reads KV head floor(h/(H/G))). */
  G: number;
  /** Prompt length: tokens in the cache when compression runs. */
  T: number;
  layers: LayerScoreInput[];
}

/** KV head read by query head h (contiguous groups: heads 0..n_rep-1 share KV head 0). */
export function kvHeadOf(h: number, H: number, G: number): number {
  return Math.floor(h / (H / G));
}

/** Checks shapes; a mismatch is a runtime bug, so it throws a plain Error. */
export function checkScoreInput(s: ScoreInput): void {
  const { H, G, T } = s;
  if (!Number.isInteger(H) || !Number.isInteger(G) || !Number.isInteger(T)) {
    throw new Error(`ScoreInput: H, G, T must be integers (got ${H}, ${G}, ${T}).`);
  }
  if (H < 1 || G < 1 || H % G !== 0) {
    throw new Error(`ScoreInput: H=${H} must be a positive multiple of G=${G}.`);
  }
  if (T < 0) throw new Error(`ScoreInput: T must be >= 0, got ${T}.`);
  s.layers.forEach((layer, l) => {
    if (layer.window.length !== H * T) {
      throw new Error(
        `ScoreInput layer ${l}: window has ${layer.window.length} values, want H*T=${H * T}.`,
      );
    }
    if (layer.accumulated && layer.accumulated.length !== H * T) {
      throw new Error(
        `ScoreInput layer ${l}: accumulated has ${layer.accumulated.length} values, want H*T=${H * T}.`,
      );
    }
  });
}
