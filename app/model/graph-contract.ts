/**
 * Names and metadata of the ONNX graph contract (architecture.md, "The model graph contract").
 *
 * The graph builder writes a graph with these inputs and outputs plus a `graph.json` sidecar
 * (`GraphManifest`); the runtime discovers layers from the session's input names and the
 * manifest, never from constants elsewhere.
 *
 * Inputs:
 *   input_ids                 int64   [1, S]
 *   position_ids              int64   [1, S]         explicit; never derived from cache length
 *   score_rows                float32 [1, S]         1 = this query row adds to attn_scores
 *   past_key_values.{l}.key   float32 [1, G, P_l, d] P_l independent per layer (may be 0)
 *   past_key_values.{l}.value float32 [1, G, P_l, d]
 * Outputs:
 *   logits                    float32 [1, V]         last position only
 *   present.{l}.key|value     float32 [1, G, P_l + S, d]
 *   attn_scores.{l}           float32 [1, H, P_l + S] sum over selected rows of softmax probs
 *   attn_scores_all.{l}       float32 [1, H, P_l + S] sum over ALL S rows (H2O's accumulated
 *                                                     attention); optional, the runtime uses
 *                                                     it when the graph has it
 *
 * Attention masking is by cache index: every past entry is visible to every new row, and new
 * entry k is visible to row i iff k <= i. Eviction therefore never needs a mask input.
 */
import type { ModelSpec } from './model-spec';

export const INPUT_IDS = 'input_ids';
export const POSITION_IDS = 'position_ids';
export const SCORE_ROWS = 'score_rows';
export const LOGITS = 'logits';

export const pastKeyName = (layer: number): string => `past_key_values.${layer}.key`;
export const pastValueName = (layer: number): string => `past_key_values.${layer}.value`;
export const presentKeyName = (layer: number): string => `present.${layer}.key`;
export const presentValueName = (layer: number): string => `present.${layer}.value`;
export const attnScoresName = (layer: number): string => `attn_scores.${layer}`;
export const attnScoresAllName = (layer: number): string => `attn_scores_all.${layer}`;

/** Parses `past_key_values.{l}.key` -> l, or null for any other name. */
export function layerOfPastKey(name: string): number | null {
  const m = /^past_key_values\.(\d+)\.key$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Written next to model.onnx as graph.json by the builder; read by the runtime. */
export interface GraphManifest {
  /** Bumped whenever the builder's output changes, so cached graphs are rebuilt. */
  builderVersion: number;
  /** sha256 of the checkpoint files the graph was built from. */
  checkpointHash: string;
  spec: ModelSpec;
  /** How attention and RoPE are expressed (recorded for the README's op choice). */
  ops: { attention: 'plain'; rope: 'plain' };
  onnxFile: string;
  dataFile: string;
}
