/**
 * One pre-norm decoder layer.
 *
 *   x ─> input_layernorm ─> attention ─> Add(x) = h ─> post_attention_layernorm ─> mlp ─> Add(h)
 */
import type { BlockContext, SharedValues } from './block-context';
import { makeAttention } from './make-attention';
import { makeMlp } from './make-mlp';
import { makeRmsNorm } from './make-rms-norm';

/** Layer `layer` applied to the residual stream `x` [1, S, hidden]. */
export async function makeDecoderLayer(
  ctx: BlockContext,
  layer: number,
  x: string,
  shared: SharedValues,
): Promise<string> {
  const { b } = ctx;
  const path = `/model/layers.${layer}`;
  const hf = `model.layers.${layer}`;
  const a = await makeRmsNorm(ctx, `${path}/input_layernorm`, x, `${hf}.input_layernorm.weight`);
  const attn = await makeAttention(ctx, layer, a, shared);
  const h = b.node(`${path}/attn_residual/Add`, 'Add', [x, attn]);
  const m = await makeRmsNorm(
    ctx,
    `${path}/post_attention_layernorm`,
    h,
    `${hf}.post_attention_layernorm.weight`,
  );
  const mlp = await makeMlp(ctx, layer, m);
  return b.node(`${path}/mlp_residual/Add`, 'Add', [h, mlp]);
}
