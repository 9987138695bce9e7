/**
 * Self-attention of one layer: projections, (qwen3) q/k norm, RoPE, then the cache-aware core.
 *
 *   x ─> q_proj ─> Reshape [1,S,H,d] ─> (q_norm) ─> Transpose [1,H,S,d] ─> RoPE ─┐
 *   x ─> k_proj ─> Reshape [1,S,G,d] ─> (k_norm) ─> Transpose [1,G,S,d] ─> RoPE ─┼─> core ─> o_proj
 *   x ─> v_proj ─> Reshape [1,S,G,d] ─────────────> Transpose [1,G,S,d] ─────────┘
 */
import { attr } from '../graph-builder';
import type { BlockContext, SharedValues } from './block-context';
import { makeAttentionCore } from './make-attention-core';
import { makeLinear } from './make-linear';
import { makeRmsNorm } from './make-rms-norm';
import { makeRope } from './make-rope';

/** Builds layer `layer`'s attention on normalised input `x`; returns the o_proj output. */
export async function makeAttention(
  ctx: BlockContext,
  layer: number,
  x: string,
  shared: SharedValues,
): Promise<string> {
  const { b, spec } = ctx;
  const path = `/model/layers.${layer}/attn`;
  const hf = `model.layers.${layer}.self_attn`;
  const { numHeads: H, numKvHeads: G, headDim: d } = spec;

  const heads = async (proj: 'q' | 'k' | 'v', n: number): Promise<string> => {
    const p = `${path}/${proj}_proj`;
    const y = await makeLinear(ctx, p, x, `${hf}.${proj}_proj`, spec.attentionBias);
    let y4 = b.node(`${p}/Reshape`, 'Reshape', [y, b.int64([1, -1, n, d])]);
    if (spec.qkNorm && proj !== 'v')
      y4 = await makeRmsNorm(ctx, `${path}/${proj}_norm`, y4, `${hf}.${proj}_norm.weight`);
    return b.node(`${p}/Transpose`, 'Transpose', [y4], {
      attributes: [attr.ints('perm', [0, 2, 1, 3])],
    });
  };
  const q = makeRope(ctx, `${path}/q_rotary`, await heads('q', H), shared.cos, shared.sinSigned);
  const k = makeRope(ctx, `${path}/k_rotary`, await heads('k', G), shared.cos, shared.sinSigned);
  const v = await heads('v', G);

  const merged = makeAttentionCore(ctx, path, layer, q, k, v, shared);
  return makeLinear(ctx, `${path}/o_proj`, merged, `${hf}.o_proj`, false);
}
