/**
 * Logits of the last position only (never S x vocab).
 *
 *   hidden [1,S,h] ─> Gather(S-1, axis 1) [1,h] ─> norm ─> Gemm(lm_head [V,h], transB) ─> logits [1,V]
 *
 * Gemm with transB reads lm_head in HF's [V, h] layout, so a tied head reuses the embedding
 * initializer and the largest matrix is stored once.
 */
import { LOGITS } from '../../../app/model/graph-contract';
import { attr } from '../graph-builder';
import type { BlockContext } from './block-context';
import { makeRmsNorm } from './make-rms-norm';

export const LM_HEAD_WEIGHT = 'lm_head.weight';

/** Final norm and lm_head on the last position; `embedTable` is used when embeddings are tied. */
export async function makeLmHead(
  ctx: BlockContext,
  hidden: string,
  seqLen: string,
  embedTable: string,
): Promise<string> {
  const { b, ckpt, spec } = ctx;
  const last = b.node('/model/last_position/Sub', 'Sub', [seqLen, b.int64([1], [])]);
  const lastHidden = b.node('/model/last_position/Gather', 'Gather', [hidden, last], {
    attributes: [attr.int('axis', 1)],
  });
  const normed = await makeRmsNorm(ctx, '/model/norm', lastHidden, 'model.norm.weight');
  const head = spec.tieWordEmbeddings
    ? embedTable
    : await b.weight(LM_HEAD_WEIGHT, ckpt.shape(LM_HEAD_WEIGHT), ckpt.readFloat32(LM_HEAD_WEIGHT));
  return b.node('/lm_head/Gemm', 'Gemm', [normed, head], {
    attributes: [attr.int('transB', 1)],
    outputNames: [LOGITS],
  });
}
