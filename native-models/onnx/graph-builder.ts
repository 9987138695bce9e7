/**
 * Accumulates the nodes, initializers and I/O of one ONNX graph while the make* blocks run.
 *
 * Node names are paths (`/model/layers.3/attn/q_proj/MatMul`); a node's outputs are named
 * `<path>/output_<k>` so a value can always be traced back to the node that produced it.
 * Small constants (shapes, axes, scalars) are inline and shared by value; weights go to the sink.
 */
import type {
  AttributeDef,
  GraphDef,
  ModelDef,
  NodeDef,
  OpsetImport,
  TensorDef,
  ValueInfoDef,
} from './proto/onnx-types';
import { TensorDataType } from './proto/onnx-types';
import type { WeightSink } from './weight-sink';

export const MS_DOMAIN = 'com.microsoft';
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

export interface NodeOptions {
  attributes?: AttributeDef[];
  domain?: string;
  /** Number of outputs (default 1). */
  outputs?: number;
  /** Explicit output names (graph outputs such as `present.0.key`). */
  outputNames?: string[];
}

export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly initializers: TensorDef[] = [];
  readonly inputs: ValueInfoDef[] = [];
  readonly outputs: ValueInfoDef[] = [];
  readonly domains = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly names = new Set<string>();

  constructor(readonly sink: WeightSink) {}

  /** Adds one node and returns its output names. */
  nodeMulti(path: string, opType: string, inputs: string[], opts: NodeOptions = {}): string[] {
    if (this.names.has(path)) throw new Error(`duplicate node name ${path}`);
    this.names.add(path);
    const count = opts.outputNames?.length ?? opts.outputs ?? 1;
    const outputs =
      opts.outputNames ?? Array.from({ length: count }, (_, k) => `${path}/output_${k}`);
    if (opts.domain) this.domains.add(opts.domain);
    this.nodes.push({
      name: path,
      opType,
      inputs,
      outputs,
      ...(opts.domain ? { domain: opts.domain } : {}),
      ...(opts.attributes ? { attributes: opts.attributes } : {}),
    });
    return outputs;
  }

  /** Adds a single-output node and returns the output name. */
  node(path: string, opType: string, inputs: string[], opts: NodeOptions = {}): string {
    const [out] = this.nodeMulti(path, opType, inputs, opts);
    if (out === undefined) throw new Error(`node ${path} has no output`);
    return out;
  }

  /**
   * A subgraph (an If branch): the nodes `build` adds go into it instead of this graph. Its
   * nodes may read any value of this graph by name (constants and weights included, which stay
   * here); `build` returns the subgraph's outputs.
   */
  subgraph(name: string, build: () => ValueInfoDef[]): GraphDef {
    const start = this.nodes.length;
    const outputs = build();
    const nodes = this.nodes.splice(start);
    return { name, nodes, initializers: [], inputs: [], outputs };
  }

  /**
   * The finished model: this graph under `name`, importing the default opset and version 1 of
   * every other domain a node used.
   */
  toModel(name: string): ModelDef {
    const opsetImports: OpsetImport[] = [{ domain: '', version: ONNX_OPSET }];
    for (const domain of this.domains) opsetImports.push({ domain, version: 1 });
    return {
      irVersion: ONNX_IR_VERSION,
      opsetImports,
      producerName: 'kv-lens',
      graph: {
        name,
        nodes: this.nodes,
        initializers: this.initializers,
        inputs: this.inputs,
        outputs: this.outputs,
      },
    };
  }

  /** An inline int64 constant (1-D unless dims given; `[]` dims is a scalar), shared by value. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    return this.constant('i64', TensorDataType.int64, values, dims, raw);
  }

  /** An inline float32 constant (1-D unless dims given; `[]` dims is a scalar), shared by value. */
  float32(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const raw = new Uint8Array(new Float32Array(values).buffer);
    return this.constant('f32', TensorDataType.float, values, dims, raw);
  }

  /** A float32 weight stored through the sink (external data file for real builds). */
  async weight(name: string, dims: number[], data: Float32Array): Promise<string> {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) {
      throw new Error(`weight ${name}: ${data.length} values for shape [${dims.join(',')}]`);
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push(await this.sink.add(name, TensorDataType.float, dims, bytes));
    return name;
  }

  private constant(
    tag: string,
    dataType: TensorDef['dataType'],
    values: readonly number[],
    dims: readonly number[],
    raw: Uint8Array,
  ): string {
    const key = `${tag}[${dims.join(',')}]:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const name = `/const/${tag}_${this.constants.size}`;
    this.constants.set(key, name);
    this.initializers.push({ name, dataType, dims: [...dims], raw });
    return name;
  }
}

/** Attribute helpers keep node definitions short. */
export const attr = {
  int: (name: string, i: number): AttributeDef => ({ name, type: 'int', i }),
  float: (name: string, f: number): AttributeDef => ({ name, type: 'float', f }),
  ints: (name: string, ints: number[]): AttributeDef => ({ name, type: 'ints', ints }),
  graph: (name: string, g: GraphDef): AttributeDef => ({ name, type: 'graph', g }),
};
