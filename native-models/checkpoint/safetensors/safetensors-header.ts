/**
 * Parses and validates a safetensors JSON header against the size of the data region, so a
 * reader can trust every entry: known dtype, byte count matching the shape, offsets inside the
 * file and no two tensors sharing bytes.
 */
import { KvLensError } from '../../../app/errors';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

const SUPPORTED = Object.keys(DTYPE_BYTES) as SafetensorsDtype[];

export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  numel: number;
  /** Byte offsets relative to the start of the data region. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: Map<string, TensorEntry>;
  metadata: Record<string, string>;
}

/** Validates the header text of `path` whose data region is `dataSize` bytes long. */
export function parseSafetensorsHeader(
  text: string,
  dataSize: number,
  path: string,
): SafetensorsHeader {
  const bad = (msg: string): KvLensError =>
    new KvLensError('invalid-checkpoint', `${path}: ${msg}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(`the header is not valid JSON (${(err as Error).message}); the file is corrupt.`);
  }
  if (!isObject(json)) throw bad('the header is not a JSON object; the file is corrupt.');
  const entries = new Map<string, TensorEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (!isObject(raw)) throw bad('"__metadata__" must be an object of strings.');
      metadata = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
      continue;
    }
    if (!isObject(raw)) throw bad(`tensor "${name}" has no {dtype, shape, data_offsets} entry.`);
    const { dtype, shape, data_offsets: offsets } = raw;
    if (typeof dtype !== 'string' || !(SUPPORTED as string[]).includes(dtype)) {
      throw new KvLensError(
        'invalid-checkpoint',
        `${path}: tensor "${name}" has unsupported dtype ${JSON.stringify(dtype)}; ` +
          `supported dtypes: ${SUPPORTED.join(', ')}.`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      throw bad(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}.`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(isCount) ||
      (offsets[0] as number) > (offsets[1] as number)
    ) {
      throw bad(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}.`);
    }
    const [begin, end] = offsets as [number, number];
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    const want = numel * DTYPE_BYTES[dtype as SafetensorsDtype];
    if (end - begin !== want) {
      throw bad(
        `tensor "${name}" spans ${end - begin} bytes but ${dtype} [${shape.join(', ')}] needs ` +
          `${want}; the header is corrupt.`,
      );
    }
    if (end > dataSize) {
      throw bad(
        `tensor "${name}" ends at data byte ${end} but the data region holds only ${dataSize} ` +
          'bytes; the file is truncated.',
      );
    }
    entries.set(name, {
      name,
      dtype: dtype as SafetensorsDtype,
      shape: [...(shape as number[])],
      numel,
      begin,
      end,
    });
  }
  checkOverlaps([...entries.values()], bad);
  return { entries, metadata };
}

function checkOverlaps(list: TensorEntry[], bad: (msg: string) => KvLensError): void {
  const sorted = list.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.begin < prev.end) {
      throw bad(
        `tensors "${prev.name}" [${prev.begin}, ${prev.end}) and "${cur.name}" ` +
          `[${cur.begin}, ${cur.end}) overlap; the header is corrupt.`,
      );
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
