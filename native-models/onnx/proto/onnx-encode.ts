/**
 * Encodes ModelDef and its parts into ONNX protobuf bytes.
 *
 * Field numbers follow the published onnx.proto (proto2): repeated scalars are written unpacked,
 * which every protobuf parser accepts.
 */
import { ProtoWriter } from './proto-writer';
import type {
  AttributeDef,
  GraphDef,
  ModelDef,
  NodeDef,
  TensorDef,
  ValueInfoDef,
} from './onnx-types';

/** AttributeProto.AttributeType values. */
const AttrType = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7 } as const;
/** TensorProto.DataLocation.EXTERNAL */
const DATA_LOCATION_EXTERNAL = 1;

function stringEntry(w: ProtoWriter, field: number, key: string, value: string): void {
  w.messageField(field, (e) => e.stringField(1, key).stringField(2, value));
}

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9, external_data=13, data_location=14. */
export function writeTensor(w: ProtoWriter, t: TensorDef): void {
  for (const d of t.dims) w.intField(1, d);
  w.intField(2, t.dataType);
  w.stringField(8, t.name);
  if (t.external) {
    stringEntry(w, 13, 'location', t.external.location);
    stringEntry(w, 13, 'offset', String(t.external.offset));
    stringEntry(w, 13, 'length', String(t.external.length));
    w.intField(14, DATA_LOCATION_EXTERNAL);
  } else {
    w.bytesField(9, t.raw ?? new Uint8Array(0));
  }
}

/** AttributeProto: name=1, f=2, i=3, s=4, t=5, g=6, floats=7, ints=8, type=20. */
export function writeAttribute(w: ProtoWriter, a: AttributeDef): void {
  w.stringField(1, a.name);
  switch (a.type) {
    case 'float':
      w.floatField(2, a.f);
      break;
    case 'int':
      w.intField(3, a.i);
      break;
    case 'string':
      w.stringField(4, a.s);
      break;
    case 'tensor':
      w.messageField(5, (t) => writeTensor(t, a.t));
      break;
    case 'graph':
      w.messageField(6, (gw) => writeGraph(gw, a.g));
      break;
    case 'floats':
      for (const f of a.floats) w.floatField(7, f);
      break;
    case 'ints':
      for (const i of a.ints) w.intField(8, i);
      break;
  }
  w.intField(20, AttrType[a.type]);
}

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7. */
export function writeNode(w: ProtoWriter, n: NodeDef): void {
  for (const i of n.inputs) w.stringField(1, i);
  for (const o of n.outputs) w.stringField(2, o);
  w.stringField(3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attributes ?? []) w.messageField(5, (aw) => writeAttribute(aw, a));
  if (n.domain) w.stringField(7, n.domain);
}

/**
 * ValueInfoProto (name=1, type=2) -> TypeProto.tensor_type=1 -> Tensor (elem_type=1, shape=2)
 * -> TensorShapeProto.dim=1 -> Dimension (dim_value=1 | dim_param=2).
 */
export function writeValueInfo(w: ProtoWriter, v: ValueInfoDef): void {
  w.stringField(1, v.name);
  w.messageField(2, (type) =>
    type.messageField(1, (tensor) => {
      tensor.intField(1, v.elemType);
      tensor.messageField(2, (shape) => {
        for (const d of v.shape) {
          shape.messageField(1, (dim) =>
            typeof d === 'number' ? dim.intField(1, d) : dim.stringField(2, d),
          );
        }
      });
    }),
  );
}

/** GraphProto: node=1, name=2, initializer=5, input=11, output=12, value_info=13. */
export function writeGraph(w: ProtoWriter, g: GraphDef): void {
  for (const n of g.nodes) w.messageField(1, (nw) => writeNode(nw, n));
  w.stringField(2, g.name);
  for (const t of g.initializers) w.messageField(5, (tw) => writeTensor(tw, t));
  for (const v of g.inputs) w.messageField(11, (vw) => writeValueInfo(vw, v));
  for (const v of g.outputs) w.messageField(12, (vw) => writeValueInfo(vw, v));
  for (const v of g.valueInfo ?? []) w.messageField(13, (vw) => writeValueInfo(vw, v));
}

/**
 * ModelProto: ir_version=1, producer_name=2, producer_version=3, graph=7, opset_import=8
 * (OperatorSetIdProto domain=1, version=2), metadata_props=14.
 */
export function encodeModel(m: ModelDef): Uint8Array {
  const w = new ProtoWriter();
  w.intField(1, m.irVersion);
  w.stringField(2, m.producerName);
  if (m.producerVersion) w.stringField(3, m.producerVersion);
  w.messageField(7, (gw) => writeGraph(gw, m.graph));
  for (const o of m.opsetImports) {
    w.messageField(8, (ow) => ow.stringField(1, o.domain).intField(2, o.version));
  }
  for (const [k, v] of Object.entries(m.metadata ?? {})) stringEntry(w, 14, k, v);
  return w.finish();
}
