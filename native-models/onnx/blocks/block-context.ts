/**
 * What every make* block receives: the graph being built, the checkpoint it reads weights from,
 * the op choices, and values computed once per graph (sequence length, RoPE cos/sin).
 */
import type { ModelSpec } from '../../../app/model/model-spec';
import type { Checkpoint } from '../../checkpoint/checkpoint';
import type { GraphBuilder } from '../graph-builder';

/** How RMSNorm is expressed; chosen by measurement (ops-choice.md). */
export type NormOp = 'plain' | 'simplified';

/** How q.k^T reads the key cache: Transpose(K) + MatMul, or com.microsoft FusedMatMul(transB). */
export type QkOp = 'transpose' | 'fused-matmul';

export interface GraphOps {
  norm: NormOp;
  qk: QkOp;
}

/** The measured choice (ops-choice.md): standard ONNX ops throughout. */
export const DEFAULT_GRAPH_OPS: GraphOps = { norm: 'plain', qk: 'transpose' };

/** The subset of a checkpoint the builder reads. */
export type WeightReader = Pick<Checkpoint, 'spec' | 'readFloat32' | 'shape'>;

/** Values shared by all layers. */
export interface SharedValues {
  /** S as an int64 scalar. */
  seqLen: string;
  /** cos of the rotary angles, [1, 1, S, d]. */
  cos: string;
  /** sin with rotate_half's sign folded in (first half negated), [1, 1, S, d]. */
  sinSigned: string;
  /** score_rows reshaped to [1, 1, 1, S]. */
  scoreRows: string;
  /**
   * The past_lengths input (int64 [L], valid entries per layer's capacity buffers). Absent in
   * graphs fed exact-size buffers (the calibration probe): then len_l is the buffer's length.
   */
  pastLengths?: string;
}

export interface BlockContext {
  b: GraphBuilder;
  ckpt: WeightReader;
  spec: ModelSpec;
  ops: GraphOps;
}
