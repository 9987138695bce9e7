/**
 * Plain-data shapes of the ONNX messages this project writes (a subset of onnx.proto).
 *
 * Only what the graph builder needs: tensors (inline or external), nodes with scalar/list/tensor/
 * graph (If branches) attributes, graph inputs/outputs with symbolic dims, and a model with opset imports.
 */

/** TensorProto.DataType values used here. */
export const TensorDataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  double: 11,
} as const;
export type TensorDataTypeCode = (typeof TensorDataType)[keyof typeof TensorDataType];

/** Where an external tensor's bytes are, relative to the model file's folder. */
export interface ExternalDataRef {
  location: string;
  offset: number;
  length: number;
}

/** A tensor with either inline raw bytes (little-endian) or a reference to external data. */
export interface TensorDef {
  name: string;
  dataType: TensorDataTypeCode;
  dims: readonly number[];
  raw?: Uint8Array;
  external?: ExternalDataRef;
}

export type AttributeDef =
  | { name: string; type: 'float'; f: number }
  | { name: string; type: 'int'; i: number }
  | { name: string; type: 'string'; s: string }
  | { name: string; type: 'tensor'; t: TensorDef }
  | { name: string; type: 'floats'; floats: readonly number[] }
  | { name: string; type: 'ints'; ints: readonly number[] }
  | { name: string; type: 'graph'; g: GraphDef };

export interface NodeDef {
  name: string;
  opType: string;
  /** '' (or absent) is the default ONNX domain. */
  domain?: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly AttributeDef[];
}

/** A dimension: a fixed size or a symbolic name such as "seq" or "past_3". */
export type DimDef = number | string;

export interface ValueInfoDef {
  name: string;
  elemType: TensorDataTypeCode;
  shape: readonly DimDef[];
}

export interface GraphDef {
  name: string;
  nodes: readonly NodeDef[];
  initializers: readonly TensorDef[];
  inputs: readonly ValueInfoDef[];
  outputs: readonly ValueInfoDef[];
  valueInfo?: readonly ValueInfoDef[];
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface ModelDef {
  irVersion: number;
  opsetImports: readonly OpsetImport[];
  producerName: string;
  producerVersion?: string;
  graph: GraphDef;
  metadata?: Readonly<Record<string, string>>;
}
