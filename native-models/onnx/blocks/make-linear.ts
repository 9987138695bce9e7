/**
 * A Hugging Face nn.Linear as MatMul (+ Add for the bias).
 *
 *   x [.., in] ─> MatMul(W^T [in, out]) ─> (Add bias [out]) ─> [.., out]
 *
 * HF stores W as [out, in]; it is transposed once here, at build time, so the graph needs no
 * Transpose at run time and MatMul reads the weight in its natural layout.
 */
import type { BlockContext } from './block-context';

/** Transposes a row-major [rows, cols] matrix to [cols, rows]. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  // Tiles keep both the read and the write side in cache for large matrices.
  const tile = 64;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = data[base + c]!;
      }
    }
  }
  return out;
}

/** MatMul by the transposed HF weight `${hfName}.weight`, plus `${hfName}.bias` when asked. */
export async function makeLinear(
  ctx: BlockContext,
  path: string,
  x: string,
  hfName: string,
  withBias: boolean,
): Promise<string> {
  const { b, ckpt } = ctx;
  const wName = `${hfName}.weight`;
  const [outF, inF] = ckpt.shape(wName);
  if (outF === undefined || inF === undefined) throw new Error(`${wName} is not a matrix`);
  const w = await b.weight(
    `${wName}.T`,
    [inF, outF],
    transpose2d(ckpt.readFloat32(wName), outF, inF),
  );
  const y = b.node(`${path}/MatMul`, 'MatMul', [x, w]);
  if (!withBias) return y;
  const bias = await b.weight(`${hfName}.bias`, [outF], ckpt.readFloat32(`${hfName}.bias`));
  return b.node(`${path}/Add`, 'Add', [y, bias]);
}
