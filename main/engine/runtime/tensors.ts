/**
 * Small conversions between JS numbers and the typed arrays ORT tensors need.
 */

/** Token or position ids as int64 (ORT's input_ids/position_ids type). */
export function toInt64(ids: readonly number[] | BigInt64Array): BigInt64Array {
  if (ids instanceof BigInt64Array) return ids;
  const out = new BigInt64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!Number.isInteger(v)) throw new Error(`id ${v} at ${i} is not an integer`);
    out[i] = BigInt(v);
  }
  return out;
}

/** Consecutive position ids start, start+1, ... (the decode loop's explicit positions). */
export function positionRange(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}
