/**
 * Binary frames for the browser-mode WebSocket: JSON for the structure, raw bytes for typed
 * arrays (uploads, kept positions, token spans), so nothing large is base64'd or stringified.
 *
 * Frame layout (little endian):
 *   u32 jsonLength | json utf-8 | (u32 byteLength | bytes, padded to 4) per attachment
 * A typed array in the value becomes {"$ta": type, "i": attachmentIndex} in the JSON.
 */
import { KvLensError } from '../errors';

const TYPED = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type AnyTyped = InstanceType<(typeof TYPED)[TypedName]>;

function typedName(value: unknown): TypedName | null {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return null;
  const name = value.constructor.name;
  return name in TYPED ? (name as TypedName) : null;
}

/** Encodes any plain-data value (objects, arrays, primitives, typed arrays) into one frame. */
export function encodeFrame(value: unknown): Uint8Array {
  const attachments: Uint8Array[] = [];
  // Typed arrays have no toJSON, so the replacer sees them as they are.
  const json = JSON.stringify(value, (_key: string, v: unknown) => {
    const name = typedName(v);
    if (name === null) return v;
    const t = v as AnyTyped;
    attachments.push(new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
    return { $ta: name, i: attachments.length - 1 };
  });
  const head = new TextEncoder().encode(json);
  let size = 4 + pad4(head.length);
  for (const a of attachments) size += 4 + pad4(a.length);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + pad4(head.length);
  for (const a of attachments) {
    view.setUint32(at, a.length, true);
    out.set(a, at + 4);
    at += 4 + pad4(a.length);
  }
  return out;
}

/** Decodes a frame made by encodeFrame; throws KvLensError('corrupt') on a malformed frame. */
export function decodeFrame(frame: Uint8Array): unknown {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const fail = (why: string): never => {
    throw new KvLensError('corrupt', `Malformed message frame: ${why}.`);
  };
  if (frame.length < 4) fail('shorter than its header');
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.length) fail('JSON runs past the end');
  const attachments: Uint8Array[] = [];
  let at = 4 + pad4(jsonLength);
  while (at < frame.length) {
    if (at + 4 > frame.length) fail('attachment header runs past the end');
    const n = view.getUint32(at, true);
    if (at + 4 + n > frame.length) fail('attachment runs past the end');
    // Copy so each typed array owns an aligned buffer of its own.
    attachments.push(frame.slice(at + 4, at + 4 + n));
    at += 4 + pad4(n);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + jsonLength)));
  } catch {
    return fail('JSON does not parse');
  }
  return revive(parsed, attachments, fail);
}

function revive(value: unknown, attachments: Uint8Array[], fail: (why: string) => never): unknown {
  if (Array.isArray(value)) return value.map((v) => revive(v, attachments, fail));
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  if (typeof o.$ta === 'string' && typeof o.i === 'number' && Object.keys(o).length === 2) {
    const Ctor = (TYPED as Record<string, (typeof TYPED)[TypedName] | undefined>)[o.$ta];
    const bytes = attachments[o.i];
    if (!Ctor || !bytes) return fail(`unknown attachment ${o.$ta}#${o.i}`);
    if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) return fail(`${o.$ta} length not whole`);
    return new Ctor(
      bytes.buffer as ArrayBuffer,
      bytes.byteOffset,
      bytes.length / Ctor.BYTES_PER_ELEMENT,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = revive(v, attachments, fail);
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}
