/**
 * Attention over the layer's capacity cache plus the S new entries, from rotated heads to merged
 * heads (contract v2, app/model/graph-contract.ts). An If picks one of two equivalent bodies by S
 * (measured in ops-choice.md, "KV cache I/O"):
 *
 *   k, v ─> Identity ─> new_key_values.l.key|value [1,G,S,d]          (the runtime appends them)
 *   q ─> Mul(1/sqrt d) ─> Reshape [1,G,n_rep*S,d] ─> If(S == 1) ─> [1,H,S,d] ─> Transpose ─> [1,S,H*d]
 *
 *   S == 1, split (decode): K/V are read in place, never concatenated; only the score rows are.
 *     q ─┬─> MatMul(past.k^T) [..,C] ─┐
 *        └─> MatMul(k^T)      [..,S] ─┴─> Concat [..,C+S] ─> Where(mask) ─> Softmax ─┬─> scores
 *     ─> Slice [..,:C] ─> MatMul(past.v) ─┐                                         │
 *     ─> Slice [..,C:] ─> MatMul(v) ──────┴─> Add <─────────────────────────────────┘
 *   S > 1, joined (prefill chunks): Concat(past, new) for K and V (a copy of G x C x d, small next
 *     to the H x S x (C+S) score matrices that the split body would have to join and slice).
 *     q ─> MatMul(Concat(past.k, k)^T) ─> Add(mask) ─> Softmax ─┬─> scores
 *                                                               └─> MatMul(Concat(past.v, v))
 *   both: scores [1,H,C+S] = score_rows · probs (attn_scores), column sums (attn_scores_all);
 *   columns len..C-1 (spare slots) are masked, so their probabilities and scores are exactly 0.
 *
 * GQA without copying K/V: query heads h = g*n_rep + r are contiguous per KV head g, so folding
 * them into the row axis lets one batched MatMul per KV head serve all its query heads.
 */
import {
  attnScoresAllName,
  attnScoresName,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import { attr, MS_DOMAIN } from '../graph-builder';
import { TensorDataType } from '../proto/onnx-types';
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
  const pastK = pastKeyName(layer);
  const pastV = pastValueName(layer);
  b.node(`${path}/k_new/Identity`, 'Identity', [k], { outputNames: [newKeyName(layer)] });
  b.node(`${path}/v_new/Identity`, 'Identity', [v], { outputNames: [newValueName(layer)] });

  // C as [1] (Slice bounds) and as a scalar (mask); len clamped to C so a bad feed can never
  // unmask a new column.
  const capacity1 = b.node(`${path}/capacity/Shape`, 'Shape', [pastK], {
    attributes: [attr.int('start', 2), attr.int('end', 3)],
  });
  const capacity = b.node(`${path}/capacity/Squeeze`, 'Squeeze', [capacity1, b.int64([0])]);
  let length = capacity;
  if (shared.pastLengths) {
    const fed = b.node(
      `${path}/length/Gather`,
      'Gather',
      [shared.pastLengths, b.int64([layer], [])],
      { attributes: [attr.int('axis', 0)] },
    );
    length = b.node(`${path}/length/Min`, 'Min', [fed, capacity]);
  }
  const visible = makeAttentionMask(ctx, `${path}/mask`, capacity, length, shared.seqLen);
  const qScaled = b.node(`${path}/q_scale/Mul`, 'Mul', [q, b.float32([1 / Math.sqrt(d)], [])]);
  const qGrouped = b.node(`${path}/q_group/Reshape`, 'Reshape', [qScaled, b.int64([1, G, -1, d])]);

  const qk = (name: string, keys: string): string => {
    if (ctx.ops.qk === 'fused-matmul') {
      return b.node(`${name}/FusedMatMul`, 'FusedMatMul', [qGrouped, keys], {
        domain: MS_DOMAIN,
        attributes: [attr.int('transB', 1)],
      });
    }
    // ORT's optimiser folds this Transpose into the MatMul (FusedMatMul transB), so the keys
    // are read in place, not copied (checked in ops-choice.md, "KV cache I/O").
    const kT = b.node(`${name}/Transpose`, 'Transpose', [keys], {
      attributes: [attr.ints('perm', [0, 1, 3, 2])],
    });
    return b.node(`${name}/MatMul`, 'MatMul', [qGrouped, kT]);
  };
  const lastAxis = [attr.int('axis', -1)];
  /** Softmax over [1,H,S,T] scores, the score outputs, and probs regrouped as [1,G,n_rep*S,T]. */
  const softmax = (p: string, scores4: string): { probs: string; outs: string[] } => {
    const probs = b.node(`${p}/Softmax`, 'Softmax', [scores4], { attributes: lastAxis });
    const rowSums = b.node(`${p}/scores/MatMul`, 'MatMul', [shared.scoreRows, probs]);
    const scores = b.node(`${p}/scores/Reshape`, 'Reshape', [rowSums, b.int64([1, H, -1])]);
    const all = b.node(`${p}/scores_all/ReduceSum`, 'ReduceSum', [probs, b.int64([2])], {
      attributes: [attr.int('keepdims', 0)],
    });
    const grouped = b.node(`${p}/pv/Reshape`, 'Reshape', [probs, b.int64([1, G, -1, 0])]);
    return { probs: grouped, outs: [scores, all] };
  };
  const f32 = TensorDataType.float;
  const branchOutputs = (heads: string, outs: string[]) => [
    { name: heads, elemType: f32, shape: [1, H, 'seq', d] },
    ...outs.map((name) => ({ name, elemType: f32, shape: [1, H, 'total'] })),
  ];
  // 0 in a Reshape target copies that input dim: here T = C + S >= 1, so -1 is always defined.
  const toHeads = (p: string, scores: string) =>
    b.node(`${p}/qk/Reshape`, 'Reshape', [scores, b.int64([1, H, -1, 0])]);

  const split = b.subgraph(`${path}/split`, () => {
    const p = `${path}/split`;
    const scores = b.node(
      `${p}/qk/Concat`,
      'Concat',
      [qk(`${p}/qk_past`, pastK), qk(`${p}/qk_new`, k)],
      {
        attributes: lastAxis,
      },
    );
    const masked = b.node(`${p}/mask/Where`, 'Where', [
      visible,
      toHeads(p, scores),
      b.float32([-Infinity], []),
    ]);
    const { probs, outs } = softmax(p, masked);
    const axis3 = b.int64([3]);
    const probsPast = b.node(`${p}/pv_past/Slice`, 'Slice', [
      probs,
      b.int64([0]),
      capacity1,
      axis3,
    ]);
    const probsNew = b.node(`${p}/pv_new/Slice`, 'Slice', [
      probs,
      capacity1,
      b.int64([Number.MAX_SAFE_INTEGER]),
      axis3,
    ]);
    const ctxPast = b.node(`${p}/pv_past/MatMul`, 'MatMul', [probsPast, pastV]);
    const ctxNew = b.node(`${p}/pv_new/MatMul`, 'MatMul', [probsNew, v]);
    const ctxV = b.node(`${p}/pv/Add`, 'Add', [ctxPast, ctxNew]);
    const heads = b.node(`${p}/out/Reshape`, 'Reshape', [ctxV, b.int64([1, H, -1, d])]);
    return branchOutputs(heads, outs);
  });

  const joined = b.subgraph(`${path}/joined`, () => {
    const p = `${path}/joined`;
    const axis2 = [attr.int('axis', 2)];
    const keys = b.node(`${p}/k_cache/Concat`, 'Concat', [pastK, k], { attributes: axis2 });
    const values = b.node(`${p}/v_cache/Concat`, 'Concat', [pastV, v], { attributes: axis2 });
    // An additive mask: cheaper than Where over every score (spare slots hold finite values,
    // contract: zeros or earlier entries in the runtime, so no score is inf).
    const bias = b.node(`${p}/mask/Where`, 'Where', [
      visible,
      b.float32([0], []),
      b.float32([-Infinity], []),
    ]);
    const masked = b.node(`${p}/mask/Add`, 'Add', [toHeads(p, qk(`${p}/qk`, keys)), bias]);
    const { probs, outs } = softmax(p, masked);
    const ctxV = b.node(`${p}/pv/MatMul`, 'MatMul', [probs, values]);
    const heads = b.node(`${p}/out/Reshape`, 'Reshape', [ctxV, b.int64([1, H, -1, d])]);
    return branchOutputs(heads, outs);
  });

  const decode = b.node(`${path}/is_decode/Equal`, 'Equal', [shared.seqLen, b.int64([1], [])]);
  const [ctxHeads] = b.nodeMulti(`${path}/If`, 'If', [decode], {
    outputNames: [`${path}/If/output_0`, attnScoresName(layer), attnScoresAllName(layer)],
    attributes: [attr.graph('then_branch', split), attr.graph('else_branch', joined)],
  });
  const ctxSeq = b.node(`${path}/out/Transpose`, 'Transpose', [ctxHeads!], {
    attributes: [attr.ints('perm', [0, 2, 1, 3])],
  });
  return b.node(`${path}/out/Reshape`, 'Reshape', [ctxSeq, b.int64([1, -1, H * d])]);
}
