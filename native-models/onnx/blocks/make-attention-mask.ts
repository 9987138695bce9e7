/**
 * Which columns of one layer's scores each new row may see, by cache index, over the score
 * columns [past capacity C | S new entries] (T = C + S):
 *
 *   past column j < C  visible iff j < len          (slots len..C-1 of the buffer are unused)
 *   new column C + k   visible to row i iff k <= i  (causal among the new tokens)
 *
 *   Range(0, T) = cols ─> Less(len) ───────────────────────────────────┐
 *                     ├─> GreaterOrEqual(C) ─────────────┐             ├─> Or [S,T]
 *                     └─> LessOrEqual(Range(C, T) [S,1]) ┴─> And [S,T] ┘
 *
 * The result is boolean and applied with Where, not added as -inf: unused slots may hold any
 * finite garbage, and a garbage score that overflowed to +inf would turn inf + -inf into NaN.
 */
import type { BlockContext } from './block-context';

/** Returns `visible` bool [S, C + S] from int64 scalars `capacity` C, `length` len and S. */
export function makeAttentionMask(
  ctx: BlockContext,
  path: string,
  capacity: string,
  length: string,
  seqLen: string,
): string {
  const { b } = ctx;
  const total = b.node(`${path}/Add`, 'Add', [capacity, seqLen]);
  const zero = b.int64([0], []);
  const one = b.int64([1], []);
  const cols = b.node(`${path}/cols/Range`, 'Range', [zero, total, one]);
  const pastVisible = b.node(`${path}/past/Less`, 'Less', [cols, length]);
  const isNew = b.node(`${path}/new/GreaterOrEqual`, 'GreaterOrEqual', [cols, capacity]);
  const rowLimit = b.node(`${path}/rows/Range`, 'Range', [capacity, total, one]);
  const rowLimit2 = b.node(`${path}/rows/Unsqueeze`, 'Unsqueeze', [rowLimit, b.int64([1])]);
  const causal = b.node(`${path}/new/LessOrEqual`, 'LessOrEqual', [cols, rowLimit2]);
  const newVisible = b.node(`${path}/new/And`, 'And', [causal, isNew]);
  return b.node(`${path}/Or`, 'Or', [pastVisible, newVisible]);
}
