/**
 * Attention over the layer's own cache, from rotated heads to merged heads.
 *
 *   present.k = Concat(past.k, k, axis 2) [1,G,T,d], present.v likewise
 *   q ─> Mul(1/sqrt d) ─> Reshape [1,G,n_rep*S,d] ─> MatMul(present.k^T) ─> Reshape [1,H,S,T]
 *     ─> Add(mask) ─> Softmax ─┬─> MatMul(score_rows [1,1,1,S]) ─> Reshape ─> attn_scores.l [1,H,T]
 *                              └─> Reshape [1,G,n_rep*S,T] ─> MatMul(present.v) ─> Reshape [1,H,S,d]
 *                                  ─> Transpose [1,S,H,d] ─> Reshape [1,S,H*d]
 *
 * GQA without copying K/V: query heads h = g*n_rep + r are contiguous per KV head g, so folding
 * them into the row axis lets one batched MatMul per KV head serve all its query heads.
 */
import {
  attnScoresName,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from '../../../app/model/graph-contract';
import { attr, MS_DOMAIN } from '../graph-builder';
import type { BlockContext, SharedValues } from './block-context';
import { makeAttentionMask } from './make-attention-mask';

/** q [1,H,S,d], k and v [1,G,S,d] (rotated) -> attention output [1,S,H*d]; adds the layer's outputs. */
export function makeAttentionCore(
  ctx: BlockContext,
  path: string,
  layer: number,
  q: string,
  k: string,
  v: string,
  shared: SharedValues,
): string {
  const { b, spec } = ctx;
  const { numHeads: H, numKvHeads: G, headDim: d } = spec;
  const axis2 = [attr.int('axis', 2)];
  const presentK = b.node(`${path}/k_cache/Concat`, 'Concat', [pastKeyName(layer), k], {
    attributes: axis2,
    outputNames: [presentKeyName(layer)],
  });
  const presentV = b.node(`${path}/v_cache/Concat`, 'Concat', [pastValueName(layer), v], {
    attributes: axis2,
    outputNames: [presentValueName(layer)],
  });

  const qScaled = b.node(`${path}/q_scale/Mul`, 'Mul', [q, b.float32([1 / Math.sqrt(d)], [])]);
  const qGrouped = b.node(`${path}/q_group/Reshape`, 'Reshape', [qScaled, b.int64([1, G, -1, d])]);
  const perm0132 = [attr.ints('perm', [0, 1, 3, 2])];
  let scores: string;
  if (ctx.ops.qk === 'fused-matmul') {
    scores = b.node(`${path}/qk/FusedMatMul`, 'FusedMatMul', [qGrouped, presentK], {
      domain: MS_DOMAIN,
      attributes: [attr.int('transB', 1)],
    });
  } else {
    const kT = b.node(`${path}/k_cache/Transpose`, 'Transpose', [presentK], {
      attributes: perm0132,
    });
    scores = b.node(`${path}/qk/MatMul`, 'MatMul', [qGrouped, kT]);
  }
  // 0 in a Reshape target copies that input dim: here T, the only dynamic size besides S.
  const scores4 = b.node(`${path}/qk/Reshape`, 'Reshape', [scores, b.int64([1, H, -1, 0])]);
  const mask = makeAttentionMask(ctx, `${path}/mask`, pastKeyName(layer), shared.seqLen);
  const masked = b.node(`${path}/mask/Add_scores`, 'Add', [scores4, mask]);
  const probs = b.node(`${path}/Softmax`, 'Softmax', [masked], {
    attributes: [attr.int('axis', -1)],
  });

  const rowSums = b.node(`${path}/scores/MatMul`, 'MatMul', [shared.scoreRows, probs]);
  b.node(`${path}/scores/Reshape`, 'Reshape', [rowSums, b.int64([1, H, -1])], {
    outputNames: [attnScoresName(layer)],
  });

  const probsGrouped = b.node(`${path}/pv/Reshape`, 'Reshape', [probs, b.int64([1, G, -1, 0])]);
  const ctxV = b.node(`${path}/pv/MatMul`, 'MatMul', [probsGrouped, presentV]);
  const ctxHeads = b.node(`${path}/out/Reshape_heads`, 'Reshape', [ctxV, b.int64([1, H, -1, d])]);
  const ctxSeq = b.node(`${path}/out/Transpose`, 'Transpose', [ctxHeads], {
    attributes: [attr.ints('perm', [0, 2, 1, 3])],
  });
  return b.node(`${path}/out/Reshape`, 'Reshape', [ctxSeq, b.int64([1, -1, H * d])]);
}
