/**
 * Turns a built contract graph into the calibration model: exposes each layer's attention input
 * and output as graph outputs (layer_input.{l}, attn_output.{l}).
 *
 * The values already exist inside the graph, so nothing is recomputed: an Identity per value
 * gives it the output name. They are found by the builder's node paths (style.md: node names are
 * paths): layer_input is the q_proj MatMul's input, attn_output the second input of the attention
 * residual Add.
 */
import type { ModelSpec } from '../../../app/model/model-spec';
import {
  TensorDataType,
  type ModelDef,
  type NodeDef,
  type ValueInfoDef,
} from '../proto/onnx-types';
import { attnOutputName, layerInputName } from './calibration-contract';

/** A copy of `model` with layer_input.{l} and attn_output.{l} outputs for every layer. */
export function addLayerOutputs(model: ModelDef, spec: ModelSpec): ModelDef {
  const byName = new Map(model.graph.nodes.map((n) => [n.name, n]));
  const input = (path: string, index: number): string => {
    const v = byName.get(path)?.inputs[index];
    if (v === undefined) {
      throw new Error(
        `calibration model: node ${path} not found; the graph builder's node paths changed`,
      );
    }
    return v;
  };
  const nodes: NodeDef[] = [];
  const outputs: ValueInfoDef[] = [];
  const shape = [1, 'seq', spec.hiddenSize];
  for (let l = 0; l < spec.numLayers; l++) {
    const path = `/model/layers.${l}`;
    const pairs: [string, string][] = [
      [layerInputName(l), input(`${path}/attn/q_proj/MatMul`, 0)],
      [attnOutputName(l), input(`${path}/attn_residual/Add`, 1)],
    ];
    for (const [name, value] of pairs) {
      nodes.push({
        name: `/calibration/${name}/Identity`,
        opType: 'Identity',
        inputs: [value],
        outputs: [name],
      });
      outputs.push({ name, elemType: TensorDataType.float, shape });
    }
  }
  return {
    ...model,
    graph: {
      ...model.graph,
      nodes: [...model.graph.nodes, ...nodes],
      outputs: [...model.graph.outputs, ...outputs],
    },
  };
}
