/**
 * Rotary position embedding from explicit position_ids (non-interleaved, HF rotate_half).
 *
 * rotate_half(x) = concat(-x2, x1) with x1, x2 the halves of the head dim, so
 *   rope(x) = x * cos + concat(x2, x1) * sinSigned,   sinSigned = concat(-sin_half, sin_half)
 * which saves a Neg per layer: the sign lives in the shared sin table.
 */
import { attr } from '../graph-builder';
import type { BlockContext } from './block-context';
import { ropeInvFreq } from './rope-inv-freq';

/**
 * cos and sign-folded sin, [1, 1, S, d], computed once from position_ids.
 *
 *   position_ids [1,S] ─> Cast(f32) ─> Unsqueeze(-1) ─> Mul(inv_freq) [1,S,d/2] ─┬─> Cos ─> Concat(c,c) ─┐
 *                                                                                └─> Sin ─> Concat(-s,s) ─┴> Unsqueeze(1)
 */
export async function makeRopeTables(
  ctx: BlockContext,
  positionIds: string,
): Promise<{ cos: string; sinSigned: string }> {
  const { b, spec } = ctx;
  const path = '/model/rotary_emb';
  const invFreq = await b.weight(
    'model.rotary_emb.inv_freq',
    [spec.headDim / 2],
    new Float32Array(ropeInvFreq(spec)),
  );
  const pos = b.node(`${path}/Cast`, 'Cast', [positionIds], { attributes: [attr.int('to', 1)] });
  const pos3 = b.node(`${path}/Unsqueeze`, 'Unsqueeze', [pos, b.int64([-1])]);
  const angles = b.node(`${path}/Mul`, 'Mul', [pos3, invFreq]);
  const cosHalf = b.node(`${path}/Cos`, 'Cos', [angles]);
  const sinHalf = b.node(`${path}/Sin`, 'Sin', [angles]);
  const negSin = b.node(`${path}/Neg`, 'Neg', [sinHalf]);
  const cos3 = b.node(`${path}/cos/Concat`, 'Concat', [cosHalf, cosHalf], {
    attributes: [attr.int('axis', -1)],
  });
  const sin3 = b.node(`${path}/sin/Concat`, 'Concat', [negSin, sinHalf], {
    attributes: [attr.int('axis', -1)],
  });
  const cos = b.node(`${path}/cos/Unsqueeze`, 'Unsqueeze', [cos3, b.int64([1])]);
  const sinSigned = b.node(`${path}/sin/Unsqueeze`, 'Unsqueeze', [sin3, b.int64([1])]);
  return { cos, sinSigned };
}

/**
 * Applies RoPE to x [1, N, S, d].
 *
 *   x ─> Split(d/2, d/2) ─> Concat(x2, x1) ─> Mul(sinSigned) ─┐
 *   x ─────────────────────────────────────> Mul(cos) ────────┴─> Add
 */
export function makeRope(
  ctx: BlockContext,
  path: string,
  x: string,
  cos: string,
  sinSigned: string,
): string {
  const { b, spec } = ctx;
  const half = spec.headDim / 2;
  const [x1, x2] = b.nodeMulti(`${path}/Split`, 'Split', [x, b.int64([half, half])], {
    outputs: 2,
    attributes: [attr.int('axis', -1)],
  });
  const swapped = b.node(`${path}/Concat`, 'Concat', [x2!, x1!], {
    attributes: [attr.int('axis', -1)],
  });
  const rotated = b.node(`${path}/Mul_sin`, 'Mul', [swapped, sinSigned]);
  const scaled = b.node(`${path}/Mul_cos`, 'Mul', [x, cos]);
  return b.node(`${path}/Add`, 'Add', [scaled, rotated]);
}
