/**
 * Turns one layer's scores and budget into kept positions (top prefix positions + the window).
 */
import type { KeptPositions } from '../../../app/kv/kept-positions';
import type { RankedScores } from './ranked-scores';

/** 0..T-1: a layer whose prompt fits its budget keeps everything. */
export function allPositions(T: number): Int32Array {
  return Int32Array.from({ length: T }, (_, i) => i);
}

/**
 * Top (b - w) prefix positions by `scores` (over the T - w prefix), plus the w window positions.
 *
 * `tail` (at least w): the last `tail` positions are kept whatever their score, and the top
 * (b - tail) come from the positions before them; the scores are still those of the w window
 * rows. The app passes the question's length, so that only document tokens compete for the
 * budget (policy-options.ts, keptTail).
 *
 * b >= T keeps everything. b <= tail (a budget no larger than the window or the question, only
 * reachable with a tiny budget) keeps the b most recent positions: the window's tail is what the next token
 * attends to most.
 */
export function keepTopWithWindow(
  scores: RankedScores,
  T: number,
  w: number,
  b: number,
  tail = w,
): Int32Array {
  if (b >= T) return allPositions(T);
  const t = Math.min(T, Math.max(w, tail));
  if (b <= t) return Int32Array.from({ length: Math.max(0, b) }, (_, i) => T - b + i);
  const n = T - w;
  if (scores.n !== n) throw new Error(`Scores cover ${scores.n} prefix positions, expected ${n}.`);
  const top = scores.topBelow(T - t, b - t);
  const out = new Int32Array(b);
  out.set(top);
  for (let i = 0; i < t; i++) out[top.length + i] = T - t + i;
  return out;
}

/**
 * Applies keepTopWithWindow to each score array: `shared` takes the single array of a layer-wide
 * rule, otherwise one array per KV head (kept per KV head even when G = 1, so the layout follows
 * the method). A layer that keeps everything is always `shared`.
 */
export function keepLayer(
  scores: RankedScores[],
  T: number,
  w: number,
  b: number,
  shared: boolean,
  tail = w,
): KeptPositions {
  if (b >= T) return { kind: 'shared', kept: allPositions(T) };
  if (shared) return { kind: 'shared', kept: keepTopWithWindow(scores[0]!, T, w, b, tail) };
  return {
    kind: 'per-kv-head',
    kvHeads: scores.map((s) => keepTopWithWindow(s, T, w, b, tail)),
  };
}

/** StreamingLLM: the first `sinks` positions plus the most recent b - sinks. */
export function keepSinksAndRecent(T: number, sinks: number, b: number): Int32Array {
  if (b >= T) return allPositions(T);
  const s = Math.min(sinks, b);
  const out = new Int32Array(b);
  for (let i = 0; i < s; i++) out[i] = i;
  for (let i = s; i < b; i++) out[i] = T - (b - i);
  return out;
}
