/**
 * Prefill that returns everything every policy needs: the window scores (last W rows) AND the
 * accumulated attention of every prompt row (H2O), on any contract graph.
 *
 * The graph's `attn_scores` output sums the rows selected by `score_rows`; selecting ALL rows of
 * a chunk gives exactly that chunk's contribution to H2O's accumulated attention. So the prompt
 * is run in two parts: the rows before the window with every row selected (-> accumulated only),
 * then the W window rows with every row selected (-> window scores, which are also those rows'
 * share of the accumulated sum). No second forward pass and no attn_scores_all output needed.
 */
import { KvLensError } from '../../../app/errors';
import { prefill, type PrefillProgress } from '../generation/prefill';
import type { KvCache } from '../kv/kv-cache';
import type { LayerScoreInput, ScoreInput } from '../kv/score-input';
import type { ModelSession } from '../runtime/model-session';

export interface ScoredPrefillOptions {
  /** W: the last W rows of the whole prompt are the observation window. */
  window: number;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: PrefillProgress) => void;
  /**
   * Per layer [H, P0] (P0 = entries already in `cache`): the accumulated attention of the rows
   * that filled the cache (a document prefix), added so H2O sees every prompt row.
   */
  priorAccumulated?: readonly Float32Array[];
}

export interface ScoredPrefill {
  /** Logits after the last prompt token. */
  logits: Float32Array;
  /** Window scores and accumulated attention over all T = P0 + ids.length cache entries. */
  scores: ScoreInput;
  /** Forward-pass time of this call. */
  ms: number;
}

/** Runs `ids` on top of `cache` (in place) and returns the window + accumulated scores. */
export async function scoredPrefill(
  session: ModelSession,
  cache: KvCache,
  ids: readonly number[],
  o: ScoredPrefillOptions,
): Promise<ScoredPrefill> {
  const N = ids.length;
  if (N === 0) throw new KvLensError('invalid-argument', 'The prompt has no tokens.');
  const W = Math.min(Math.max(0, o.window), N);
  const P0 = cache.length(0);
  const T = P0 + N;
  const { numHeads: H } = session;
  const L = session.dims.numLayers;
  const prior = o.priorAccumulated;
  if (prior && (prior.length !== L || prior.some((p) => p.length !== H * P0))) {
    throw new Error(`scoredPrefill: prior accumulated scores must be ${L} x [${H}, ${P0}]`);
  }
  // One allocation for both parts (a no-op when the caller reserved room already).
  cache.reserve(N);
  const head = ids.slice(0, N - W);
  const tail = ids.slice(N - W);
  const start = performance.now();
  const base = { ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}), signal: o.signal };
  const progress = (offset: number) => (p: PrefillProgress) =>
    o.onProgress?.({ ...p, done: offset + p.done, total: N, elapsedMs: performance.now() - start });

  const accumulated = Array.from({ length: L }, () => new Float32Array(H * T));
  if (prior) prior.forEach((p, l) => addRows(accumulated[l]!, p, H, T, P0));
  let logits: Float32Array | undefined;
  if (head.length > 0) {
    const pre = await prefill(session, cache, head, {
      ...base,
      window: head.length,
      onProgress: progress(0),
    });
    logits = pre.logits;
    const cols = P0 + head.length;
    pre.scores!.layers.forEach((s, l) => addRows(accumulated[l]!, s.window, H, T, cols));
  }
  let windows: Float32Array[];
  if (tail.length > 0) {
    const pre = await prefill(session, cache, tail, {
      ...base,
      window: W,
      onProgress: progress(head.length),
    });
    logits = pre.logits;
    windows = pre.scores!.layers.map((s) => s.window);
    windows.forEach((w, l) => addRows(accumulated[l]!, w, H, T, T));
  } else {
    // W = 0: no observation window, so no window scores (the policies then score nothing).
    windows = Array.from({ length: L }, () => new Float32Array(H * T));
  }
  const layers: LayerScoreInput[] = windows.map((window, l) => ({
    window,
    accumulated: accumulated[l]!,
  }));
  return {
    logits: logits!,
    scores: { H, G: session.dims.numKvHeads, T, layers },
    ms: performance.now() - start,
  };
}

/** dst[h, 0..cols) += src[h, 0..cols) with dst rows T long and src rows `cols` long. */
function addRows(dst: Float32Array, src: Float32Array, H: number, T: number, cols: number) {
  for (let h = 0; h < H; h++) {
    const d0 = h * T;
    const s0 = h * cols;
    for (let j = 0; j < cols; j++) dst[d0 + j] = dst[d0 + j]! + src[s0 + j]!;
  }
}
