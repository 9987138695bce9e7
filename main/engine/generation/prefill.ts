/**
 * Chunked prefill: the prompt goes through the model `chunkSize` tokens at a time, so the
 * attention buffers (S x (P + S) per head) are bounded by the chunk, not by the prompt.
 *
 * Across chunks it accumulates, per layer, the window scores [H, T] (score_rows = 1 for the last
 * W rows of the WHOLE prompt, wherever the chunk boundaries fall) and, when asked and the graph
 * has attn_scores_all, the all-rows sums H2O needs. A chunk's scores cover only the columns up to
 * its own end; later columns get nothing from it, which is exactly causality.
 */
import { CancelledError, KvLensError } from '../../../app/errors';
import type { LayerScoreInput, ScoreInput } from '../kv/score-input';
import type { KvCache } from '../kv/kv-cache';
import type { ModelSession } from '../runtime/model-session';

export const DEFAULT_CHUNK_SIZE = 256;

export interface PrefillProgress {
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left, from the rate so far (later chunks attend over more, so a floor). */
  etaMs: number;
}

export interface PrefillOptions {
  chunkSize?: number;
  /** Last W prompt rows whose attention is summed into `scores`; 0 = no scores. */
  window?: number;
  /** Also accumulate all-rows attention (H2O); ignored when the graph lacks attn_scores_all. */
  scoresAll?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: PrefillProgress) => void;
}

export interface PrefillResult {
  /** Logits after the last prompt token: the distribution of the first generated token. */
  logits: Float32Array;
  /** [H, T] per layer over the cache's T entries (columns = cache indices), when window > 0. */
  scores?: ScoreInput;
  tokens: number;
  ms: number;
}

/** Runs `ids` on top of `cache` (updated in place) at positions cache.nextPosition, +1, ... */
export async function prefill(
  session: ModelSession,
  cache: KvCache,
  ids: readonly number[],
  options: PrefillOptions = {},
): Promise<PrefillResult> {
  const N = ids.length;
  const chunk = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (N === 0) throw new KvLensError('invalid-argument', 'The prompt has no tokens.');
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new KvLensError('invalid-argument', `Chunk size must be an integer >= 1, got ${chunk}.`);
  }
  const V = session.vocabSize;
  const badId = ids.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= V);
  if (badId >= 0) {
    throw new KvLensError(
      'invalid-argument',
      `Token id ${ids[badId]} at index ${badId} is outside the vocabulary (0..${V - 1}).`,
    );
  }
  const W = Math.min(options.window ?? 0, N);
  const wantAll = (options.scoresAll ?? false) && session.hasScoresAll && W > 0;
  const { numHeads: H } = session;
  const P0 = cache.lengths();
  if (W > 0 && P0.some((p) => p !== P0[0])) {
    throw new KvLensError(
      'invalid-argument',
      `Window scores need the same cache length in every layer (got ${[...new Set(P0)].join(', ')}).`,
    );
  }
  const T = (P0[0] ?? 0) + N;
  const acc: LayerScoreInput[] = [];
  if (W > 0) {
    for (let l = 0; l < P0.length; l++) {
      const layer: LayerScoreInput = { window: new Float32Array(H * T) };
      if (wantAll) layer.accumulated = new Float32Array(H * T);
      acc.push(layer);
    }
  }
  // One allocation for the whole prompt instead of regrowing chunk by chunk (a no-op when the
  // caller already reserved room, e.g. for the decode steps too).
  cache.reserve(N);
  const start = performance.now();
  const first = cache.nextPosition;
  let logits: Float32Array | null = null;
  for (let a = 0; a < N; a += chunk) {
    if (options.signal?.aborted) throw new CancelledError('Prefill');
    const b = Math.min(N, a + chunk);
    const S = b - a;
    const rows = new Float32Array(S);
    for (let i = a; i < b; i++) if (i >= N - W) rows[i - a] = 1;
    const inWindow = W > 0 && b > N - W;
    const out = await session.run({
      inputIds: ids.slice(a, b),
      positionIds: Array.from({ length: S }, (_, i) => first + a + i),
      cache,
      ...(inWindow ? { scoreRows: rows } : {}),
      wantScoresAll: wantAll,
    });
    logits = out.logits;
    const cols = T - N + b;
    if (inWindow && out.scores) addColumns(acc, out.scores, 'window', H, T, cols);
    if (wantAll && out.scoresAll) addColumns(acc, out.scoresAll, 'accumulated', H, T, cols);
    const elapsedMs = performance.now() - start;
    options.onProgress?.({ done: b, total: N, elapsedMs, etaMs: (elapsedMs / b) * (N - b) });
  }
  const result: PrefillResult = { logits: logits!, tokens: N, ms: performance.now() - start };
  if (W > 0) result.scores = { H, G: session.dims.numKvHeads, T, layers: acc };
  return result;
}

/** acc[l].field[h, 0..cols) += part[l][h, 0..cols) (part rows have exactly `cols` columns). */
function addColumns(
  acc: LayerScoreInput[],
  parts: Float32Array[],
  field: 'window' | 'accumulated',
  H: number,
  T: number,
  cols: number,
) {
  parts.forEach((part, l) => {
    const dst = acc[l]?.[field];
    if (!dst || part.length !== H * cols) {
      throw new Error(`prefill: layer ${l} scores have ${part.length} values, want ${H}x${cols}`);
    }
    for (let h = 0; h < H; h++) {
      const d0 = h * T;
      const s0 = h * cols;
      for (let j = 0; j < cols; j++) dst[d0 + j] = dst[d0 + j]! + part[s0 + j]!;
    }
  });
}
