/**
 * Names and metadata of the ONNX graph contract (architecture.md, "The model graph contract").
 *
 * The graph builder writes a graph with these inputs and outputs plus a `graph.json` sidecar
 * (`GraphManifest`); the runtime discovers layers from the session's input names and the
 * manifest, never from constants elsewhere.
 *
 * Contract v2 (builder version 2): the past K/V inputs are CAPACITY buffers that the runtime owns
 * and feeds without copying; only their first len_l entries per KV head are valid, so decoding
 * never moves the whole cache in or out of the session.
 *
 * Inputs:
 *   input_ids                 int64   [1, S]
 *   position_ids              int64   [1, S]         explicit; never derived from cache length
 *   score_rows                float32 [1, S]         1 = this query row adds to attn_scores
 *   past_lengths              int64   [L]            len_l: valid entries of layer l's buffers
 *   past_key_values.{l}.key   float32 [1, G, C_l, d] capacity C_l >= len_l, independent per
 *   past_key_values.{l}.value float32 [1, G, C_l, d] layer; C_l = len_l and C_l = 0 are valid.
 *                                                    Slots len_l..C_l-1 are ignored; they must
 *                                                    hold finite values (|x| < 1e30; the runtime
 *                                                    leaves zeros or earlier entries there).
 * Outputs:
 *   logits                    float32 [1, V]         last position only
 *   new_key_values.{l}.key    float32 [1, G, S, d]   ONLY this call's S new entries (after
 *   new_key_values.{l}.value  float32 [1, G, S, d]   RoPE); the runtime writes them into its
 *                                                    buffers at len_l.. (cache index order)
 *   attn_scores.{l}           float32 [1, H, C_l + S] sum over selected rows of softmax probs,
 *                                                    in CAPACITY layout: columns 0..len_l-1 are
 *                                                    the past entries, len_l..C_l-1 are exactly
 *                                                    0, C_l..C_l+S-1 are the new entries
 *   attn_scores_all.{l}       float32 [1, H, C_l + S] same layout, sum over ALL S rows (H2O's
 *                                                    accumulated attention); optional, the
 *                                                    runtime uses it when the graph has it
 *
 * Attention masking is by cache index: past entry j is visible to every new row iff j < len_l,
 * and new entry k is visible to row i iff k <= i. Eviction therefore never needs a mask input.
 * A single-token step (decode) never concatenates K/V: scores against the past buffer and
 * against the new entry are computed separately and only the score rows are joined before the
 * softmax, so its cost is one read of the buffers. Multi-token chunks join K/V in-graph, which is
 * cheaper there than joining their H x S x (C + S) score matrices (the runtime feeds them a
 * compact past when spare slots would cost more than that copy).
 */
import type { ModelSpec } from './model-spec';

export const INPUT_IDS = 'input_ids';
export const POSITION_IDS = 'position_ids';
export const SCORE_ROWS = 'score_rows';
export const PAST_LENGTHS = 'past_lengths';
export const LOGITS = 'logits';

export const pastKeyName = (layer: number): string => `past_key_values.${layer}.key`;
export const pastValueName = (layer: number): string => `past_key_values.${layer}.value`;
/** This call's new K entries of layer l, [1, G, S, d] (contract v1 returned past + new here). */
export const newKeyName = (layer: number): string => `new_key_values.${layer}.key`;
export const newValueName = (layer: number): string => `new_key_values.${layer}.value`;
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
