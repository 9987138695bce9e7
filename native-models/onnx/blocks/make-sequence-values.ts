/**
 * The per-graph values every layer reads besides RoPE: the sequence length S and the score_rows
 * mask in the shape the attention scores broadcast against.
 */
import { attr, type GraphBuilder } from '../graph-builder';
import type { SharedValues } from './block-context';

/**
 * S as an int64 scalar, read from the shape of a [1, S] input, and score_rows as [1, 1, 1, S].
 *
 *   seqSource [1,S] ─> Shape ─> Gather(1) ─> seqLen
 *   score_rows [1,S] ─> Reshape [1,1,1,-1] ─> scoreRows
 *
 * `prefix` starts the node paths (`/model`, `/probe`).
 */
export function makeSequenceValues(
  b: GraphBuilder,
  prefix: string,
  seqSource: string,
  scoreRowsInput: string,
): Pick<SharedValues, 'seqLen' | 'scoreRows'> {
  const shape = b.node(`${prefix}/seq_len/Shape`, 'Shape', [seqSource]);
  const seqLen = b.node(`${prefix}/seq_len/Gather`, 'Gather', [shape, b.int64([1], [])], {
    attributes: [attr.int('axis', 0)],
  });
  const scoreRows = b.node(`${prefix}/score_rows/Reshape`, 'Reshape', [
    scoreRowsInput,
    b.int64([1, 1, 1, -1]),
  ]);
  return { seqLen, scoreRows };
}
