/**
 * Assembles the whole decoder graph per the graph contract (app/model/graph-contract.ts).
 *
 *   input_ids ─> embedding ─> layer 0 ─> ... ─> layer L-1 ─> last position ─> norm ─> lm_head ─> logits
 *   position_ids ─> RoPE tables (shared)     each layer: past_key_values.l.* (capacity buffers)
 *   score_rows ─> [1,1,1,S] (shared)         and past_lengths[l] in; new_key_values.l.*,
 *   past_lengths (shared)                    attn_scores.l and attn_scores_all.l out
 *
 * Batch is fixed at 1 (the contract's shapes); S and each layer's capacity are symbolic.
 */
import {
  INPUT_IDS,
  LOGITS,
  PAST_LENGTHS,
  POSITION_IDS,
  SCORE_ROWS,
  attnScoresAllName,
  attnScoresName,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../app/model/graph-contract';
import { GraphBuilder } from './graph-builder';
import {
  type BlockContext,
  type GraphOps,
  type WeightReader,
  DEFAULT_GRAPH_OPS,
} from './blocks/block-context';
import { makeDecoderLayer } from './blocks/make-decoder-layer';
import { makeEmbedding } from './blocks/make-embedding';
import { makeLmHead } from './blocks/make-lm-head';
import { makeRopeTables } from './blocks/make-rope';
import { makeSequenceValues } from './blocks/make-sequence-values';
import { TensorDataType, type ModelDef, type ValueInfoDef } from './proto/onnx-types';
import type { WeightSink } from './weight-sink';

function io(
  name: string,
  elemType: ValueInfoDef['elemType'],
  shape: ValueInfoDef['shape'],
): ValueInfoDef {
  return { name, elemType, shape };
}

/** Declares the contract's graph inputs and outputs. */
function declareIo(b: GraphBuilder, ctx: BlockContext): void {
  const { numLayers, numHeads: H, numKvHeads: G, headDim: d, vocabSize: V } = ctx.spec;
  const f32 = TensorDataType.float;
  b.inputs.push(io(INPUT_IDS, TensorDataType.int64, [1, 'seq']));
  b.inputs.push(io(POSITION_IDS, TensorDataType.int64, [1, 'seq']));
  b.inputs.push(io(SCORE_ROWS, f32, [1, 'seq']));
  b.inputs.push(io(PAST_LENGTHS, TensorDataType.int64, [numLayers]));
  b.outputs.push(io(LOGITS, f32, [1, V]));
  for (let l = 0; l < numLayers; l++) {
    b.inputs.push(io(pastKeyName(l), f32, [1, G, `capacity_${l}`, d]));
    b.inputs.push(io(pastValueName(l), f32, [1, G, `capacity_${l}`, d]));
    b.outputs.push(io(newKeyName(l), f32, [1, G, 'seq', d]));
    b.outputs.push(io(newValueName(l), f32, [1, G, 'seq', d]));
    b.outputs.push(io(attnScoresName(l), f32, [1, H, `total_${l}`]));
    b.outputs.push(io(attnScoresAllName(l), f32, [1, H, `total_${l}`]));
  }
}

/**
 * Builds the model, writing weights through `sink` as it goes; `onLayer(done, total)` reports
 * progress after each decoder layer.
 */
export async function makeModel(
  ckpt: WeightReader,
  sink: WeightSink,
  ops: GraphOps = DEFAULT_GRAPH_OPS,
  onLayer?: (done: number, total: number) => void,
): Promise<ModelDef> {
  const b = new GraphBuilder(sink);
  const ctx: BlockContext = { b, ckpt, spec: ckpt.spec, ops };
  declareIo(b, ctx);
  const { seqLen, scoreRows } = makeSequenceValues(b, '/model', INPUT_IDS, SCORE_ROWS);
  const { hidden: embedded, table } = await makeEmbedding(ctx);
  const rope = await makeRopeTables(ctx, POSITION_IDS);
  const shared = { seqLen, scoreRows, pastLengths: PAST_LENGTHS, ...rope };
  let hidden = embedded;
  const total = ctx.spec.numLayers;
  for (let l = 0; l < total; l++) {
    hidden = await makeDecoderLayer(ctx, l, hidden, shared);
    onLayer?.(l + 1, total);
  }
  await makeLmHead(ctx, hidden, seqLen, table);
  return b.toModel(`kv-lens-${ckpt.spec.family}`);
}
