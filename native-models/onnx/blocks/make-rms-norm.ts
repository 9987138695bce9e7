/**
 * RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * w.
 *
 * plain:       x ─> Pow(2) ─> ReduceMean(-1) ─> Add(eps) ─> Sqrt ─> Div(x, ·) ─> Mul(w)
 * simplified:  x ─> SimplifiedLayerNormalization(w, eps)      (ORT op, default domain)
 */
import { attr } from '../graph-builder';
import type { BlockContext } from './block-context';

/** RMSNorm of `x` with the HF weight `hfWeight` ([last dim]). */
export async function makeRmsNorm(
  ctx: BlockContext,
  path: string,
  x: string,
  hfWeight: string,
): Promise<string> {
  const { b, ckpt, spec } = ctx;
  const [n] = ckpt.shape(hfWeight);
  const w = await b.weight(hfWeight, [n ?? 0], ckpt.readFloat32(hfWeight));
  const eps = spec.rmsNormEps;
  if (ctx.ops.norm === 'simplified') {
    return b.node(`${path}/SimplifiedLayerNormalization`, 'SimplifiedLayerNormalization', [x, w], {
      attributes: [attr.int('axis', -1), attr.float('epsilon', eps), attr.int('stash_type', 1)],
    });
  }
  const sq = b.node(`${path}/Pow`, 'Pow', [x, b.float32([2], [])]);
  const mean = b.node(`${path}/ReduceMean`, 'ReduceMean', [sq], {
    attributes: [attr.ints('axes', [-1]), attr.int('keepdims', 1)],
  });
  const withEps = b.node(`${path}/Add`, 'Add', [mean, b.float32([eps], [])]);
  const rms = b.node(`${path}/Sqrt`, 'Sqrt', [withEps]);
  const normed = b.node(`${path}/Div`, 'Div', [x, rms]);
  return b.node(`${path}/Mul`, 'Mul', [normed, w]);
}
