/**
 * I/O names and files of the two calibration graphs (CompressKV's layer eviction error needs a
 * layer's attention output on a compressed cache from the full path's hidden state).
 *
 * Calibration model: the contract graph (app/model/graph-contract.ts) plus, per layer l,
 *   layer_input.{l}  float32 [1, S, hidden]  input_layernorm output (the attention block's input)
 *   attn_output.{l}  float32 [1, S, hidden]  attention output after o_proj
 * Attention probe: every layer's attention block alone, each on its own cache:
 *   inputs  position_ids [1,S] int64, score_rows [1,S] float32, and per layer layer_input.{l}
 *           [1,S,hidden] and past_key_values.{l}.key|value [1,G,P_l,d] (EXACT size: the probe
 *           has no past_lengths input, every fed entry is valid)
 *   outputs per layer attn_output.{l} [1,S,hidden], new_key_values.{l}.key|value [1,G,S,d],
 *           attn_scores.{l} and attn_scores_all.{l} [1,H,P_l+S]
 * Masking and positions follow the contract (by cache index, explicit position ids).
 */
import type { ModelSpec } from '../../../app/model/model-spec';

export const layerInputName = (layer: number): string => `layer_input.${layer}`;
export const attnOutputName = (layer: number): string => `attn_output.${layer}`;

/** Bump when either calibration graph changes, so cached ones are rebuilt. */
export const CALIBRATION_GRAPHS_VERSION = 1;
export const CALIBRATION_MODEL_FILE = 'calibration-model.onnx';
export const CALIBRATION_MODEL_DATA = 'calibration-model.onnx.data';
export const ATTENTION_PROBE_FILE = 'attention-probe.onnx';
export const ATTENTION_PROBE_DATA = 'attention-probe.onnx.data';
export const CALIBRATION_MANIFEST_FILE = 'calibration-graphs.json';

export interface CalibrationGraphsManifest {
  version: number;
  /** The main builder's version the calibration model was made with. */
  builderVersion: number;
  checkpointHash: string;
  spec: ModelSpec;
  modelFile: string;
  probeFile: string;
}
