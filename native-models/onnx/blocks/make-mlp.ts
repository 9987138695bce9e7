/**
 * Gated MLP: down(silu(gate(x)) * up(x)), SiLU written as x * Sigmoid(x).
 *
 *   x ─> gate_proj ─┬─> Sigmoid ─> Mul ─┐
 *                   └──────────────┘    ├─> Mul ─> down_proj
 *   x ─> up_proj ───────────────────────┘
 */
import type { BlockContext } from './block-context';
import { makeLinear } from './make-linear';

/** The MLP of layer `layer` on its normalised input `x`. */
export async function makeMlp(ctx: BlockContext, layer: number, x: string): Promise<string> {
  const { b } = ctx;
  const path = `/model/layers.${layer}/mlp`;
  const hf = `model.layers.${layer}.mlp`;
  const gate = await makeLinear(ctx, `${path}/gate_proj`, x, `${hf}.gate_proj`, false);
  const up = await makeLinear(ctx, `${path}/up_proj`, x, `${hf}.up_proj`, false);
  const sig = b.node(`${path}/act_fn/Sigmoid`, 'Sigmoid', [gate]);
  const silu = b.node(`${path}/act_fn/Mul`, 'Mul', [gate, sig]);
  const gated = b.node(`${path}/Mul`, 'Mul', [silu, up]);
  return makeLinear(ctx, `${path}/down_proj`, gated, `${hf}.down_proj`, false);
}
