/**
 * The attention probe graph: every layer's attention block on its own, fed a given normalised
 * hidden state and any cache, built from the main builder's blocks (same projections, RoPE,
 * masking and score outputs as the model graph).
 *
 *   position_ids ─> RoPE tables ─┐            score_rows ─> [1,1,1,S]
 *   layer_input.l ─> attention(layer l, past_key_values.l.*) ─> attn_output.l, new_key_values.l.*,
 *                                                               attn_scores.l, attn_scores_all.l
 *
 * CompressKV's calibration runs it at each decode step on the compressed cache with the full
 * path's layer inputs, to measure each layer's local eviction error.
 */
import {
  POSITION_IDS,
  SCORE_ROWS,
  attnScoresAllName,
  attnScoresName,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import {
  type BlockContext,
  type GraphOps,
  type WeightReader,
  DEFAULT_GRAPH_OPS,
} from '../blocks/block-context';
import { makeAttention } from '../blocks/make-attention';
import { makeRopeTables } from '../blocks/make-rope';
import { makeSequenceValues } from '../blocks/make-sequence-values';
import { GraphBuilder } from '../graph-builder';
import { TensorDataType, type ModelDef } from '../proto/onnx-types';
import type { WeightSink } from '../weight-sink';
import { attnOutputName, layerInputName } from './calibration-contract';

/** Builds the probe graph of `ckpt` (attention weights only), writing weights through `sink`. */
export async function makeAttentionProbe(
  ckpt: WeightReader,
  sink: WeightSink,
  ops: GraphOps = DEFAULT_GRAPH_OPS,
): Promise<ModelDef> {
  const b = new GraphBuilder(sink);
  const spec = ckpt.spec;
  const ctx: BlockContext = { b, ckpt, spec, ops };
  const { numLayers: L, numHeads: H, numKvHeads: G, headDim: d, hiddenSize: h } = spec;
  const f32 = TensorDataType.float;
  b.inputs.push({ name: POSITION_IDS, elemType: TensorDataType.int64, shape: [1, 'seq'] });
  b.inputs.push({ name: SCORE_ROWS, elemType: f32, shape: [1, 'seq'] });
  for (let l = 0; l < L; l++) {
    b.inputs.push({ name: layerInputName(l), elemType: f32, shape: [1, 'seq', h] });
    b.inputs.push({ name: pastKeyName(l), elemType: f32, shape: [1, G, `past_${l}`, d] });
    b.inputs.push({ name: pastValueName(l), elemType: f32, shape: [1, G, `past_${l}`, d] });
    b.outputs.push({ name: attnOutputName(l), elemType: f32, shape: [1, 'seq', h] });
    b.outputs.push({ name: newKeyName(l), elemType: f32, shape: [1, G, 'seq', d] });
    b.outputs.push({ name: newValueName(l), elemType: f32, shape: [1, G, 'seq', d] });
    b.outputs.push({ name: attnScoresName(l), elemType: f32, shape: [1, H, `total_${l}`] });
    b.outputs.push({ name: attnScoresAllName(l), elemType: f32, shape: [1, H, `total_${l}`] });
  }
  const { seqLen, scoreRows } = makeSequenceValues(b, '/probe', POSITION_IDS, SCORE_ROWS);
  const rope = await makeRopeTables(ctx, POSITION_IDS);
  // No past_lengths: the probe is fed exact-size caches, so each past length is its buffer's.
  const shared = { seqLen, scoreRows, ...rope };
  for (let l = 0; l < L; l++) {
    const out = await makeAttention(ctx, l, layerInputName(l), shared);
    b.node(`/probe/layers.${l}/attn_output/Identity`, 'Identity', [out], {
      outputNames: [attnOutputName(l)],
    });
  }
  return b.toModel(`kv-lens-attention-probe-${spec.family}`);
}
