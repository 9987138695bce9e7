import { describe, expect, it } from 'vitest';
import { encodeModel, writeAttribute, writeNode, writeTensor, writeValueInfo } from './onnx-encode';
import { TensorDataType } from './onnx-types';
import { ProtoWriter } from './proto-writer';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const ascii = (s: string): string => Buffer.from(s).toString('hex');
const encode = (f: (w: ProtoWriter) => void): string => {
  const w = new ProtoWriter();
  f(w);
  return hex(w.finish());
};

describe('ONNX message encoding', () => {
  it('writes an inline tensor: dims, data_type, name, raw_data', () => {
    const raw = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);
    const got = encode((w) =>
      writeTensor(w, { name: 'c', dataType: TensorDataType.int64, dims: [1], raw }),
    );
    expect(got).toBe(`0801` + `1007` + `4201${ascii('c')}` + `4a08${hex(raw)}`);
  });

  it('writes an external tensor with location/offset/length and data_location=EXTERNAL', () => {
    const ext = { location: 'model.onnx.data', offset: 64, length: 24 };
    const got = encode((w) =>
      writeTensor(w, { name: 'w', dataType: TensorDataType.float, dims: [2, 3], external: ext }),
    );
    const entry = (k: string, v: string): string => {
      const body = `0a${k.length.toString(16).padStart(2, '0')}${ascii(k)}12${v.length.toString(16).padStart(2, '0')}${ascii(v)}`;
      return `6a${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
    };
    expect(got).toBe(
      `0802` +
        `0803` +
        `1001` +
        `4201${ascii('w')}` +
        entry('location', 'model.onnx.data') +
        entry('offset', '64') +
        entry('length', '24') +
        `7001`,
    );
  });

  it('writes attributes with their type code', () => {
    expect(encode((w) => writeAttribute(w, { name: 'axes', type: 'ints', ints: [-1] }))).toBe(
      `0a04${ascii('axes')}` + `40ffffffffffffffffff01` + `a00107`,
    );
    expect(encode((w) => writeAttribute(w, { name: 'epsilon', type: 'float', f: 1 }))).toBe(
      `0a07${ascii('epsilon')}` + `150000803f` + `a00101`,
    );
    expect(encode((w) => writeAttribute(w, { name: 'to', type: 'int', i: 1 }))).toBe(
      `0a02${ascii('to')}1801a00102`,
    );
  });

  it('writes a node with inputs, outputs, name, op_type, attribute and domain', () => {
    const got = encode((w) =>
      writeNode(w, {
        name: 'n',
        opType: 'Op',
        domain: 'd',
        inputs: ['a'],
        outputs: ['b'],
        attributes: [{ name: 'k', type: 'int', i: 2 }],
      }),
    );
    expect(got).toBe(
      `0a01${ascii('a')}` +
        `1201${ascii('b')}` +
        `1a01${ascii('n')}` +
        `2202${ascii('Op')}` +
        `2a08${`0a01${ascii('k')}1802a00102`}` +
        `3a01${ascii('d')}`,
    );
  });

  it('writes value infos with fixed and symbolic dims', () => {
    const got = encode((w) =>
      writeValueInfo(w, { name: 'x', elemType: TensorDataType.float, shape: [1, 'seq'] }),
    );
    const dims = `0a020801` + `0a05${`1203${ascii('seq')}`}`;
    const shape = `120b${dims}`;
    const tensor = `0a0f${`0801${shape}`}`;
    expect(got).toBe(`0a01${ascii('x')}` + `1211${tensor}`);
  });

  it('writes model fields: ir_version, producer, graph, opsets, metadata', () => {
    const model = encodeModel({
      irVersion: 8,
      producerName: 'p',
      opsetImports: [{ domain: '', version: 17 }],
      graph: { name: 'g', nodes: [], initializers: [], inputs: [], outputs: [] },
      metadata: { k: 'v' },
    });
    expect(hex(model)).toBe(
      `0808` +
        `1201${ascii('p')}` +
        `3a03${`1201${ascii('g')}`}` +
        `4204${`0a001011`}` +
        `7206${`0a01${ascii('k')}1201${ascii('v')}`}`,
    );
  });
});
