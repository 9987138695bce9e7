/**
 * The additive attention mask of one layer, by cache index.
 *
 * With P = this layer's past length (from its own past input) and T = P + S, new row i sees
 * column j iff j <= P + i: the whole past plus the causal part of the new tokens. Eviction only
 * shortens P, so no mask input is ever needed.
 *
 *   Shape(past.key)[2] = P ─> Add(S) = T ─> Range(0, T) [T] ─────────────┐
 *                          └────────────> Range(P, T) ─> Unsqueeze [S,1] ─┴> LessOrEqual [S,T]
 *                                                                             ─> Where(0, -inf)
 */
import { attr } from '../graph-builder';
import type { BlockContext } from './block-context';

/** Returns { mask [S, T] float32 (0 or -inf) } for the layer whose past key input is `pastKey`. */
export function makeAttentionMask(
  ctx: BlockContext,
  path: string,
  pastKey: string,
  seqLen: string,
): string {
  const { b } = ctx;
  const shape = b.node(`${path}/Shape`, 'Shape', [pastKey]);
  const past = b.node(`${path}/Gather`, 'Gather', [shape, b.int64([2], [])], {
    attributes: [attr.int('axis', 0)],
  });
  const total = b.node(`${path}/Add`, 'Add', [past, seqLen]);
  const zero = b.int64([0], []);
  const one = b.int64([1], []);
  const cols = b.node(`${path}/cols/Range`, 'Range', [zero, total, one]);
  const rowLimit = b.node(`${path}/rows/Range`, 'Range', [past, total, one]);
  const rowLimit2 = b.node(`${path}/rows/Unsqueeze`, 'Unsqueeze', [rowLimit, b.int64([1])]);
  const visible = b.node(`${path}/LessOrEqual`, 'LessOrEqual', [cols, rowLimit2]);
  return b.node(`${path}/Where`, 'Where', [
    visible,
    b.float32([0], []),
    b.float32([-Infinity], []),
  ]);
}
