/**
 * Bytes one decode step must read, from the model's dimensions: every weight matrix once (the
 * embedding table only one row) plus the whole KV cache at the current context.
 */
import { kvBytesPerToken, type ModelSpec } from '../../app/model/model-spec';

/** Float32 weight bytes a single-token forward pass reads. */
export function weightBytesPerToken(spec: ModelSpec): number {
  const { hiddenSize: h, numHeads: H, numKvHeads: G, headDim: d, intermediateSize: I } = spec;
  let perLayer = H * d * h + 2 * G * d * h + h * H * d + 3 * I * h + 2 * h;
  if (spec.attentionBias) perLayer += (H + 2 * G) * d;
  if (spec.qkNorm) perLayer += 2 * d;
  const params = spec.numLayers * perLayer + spec.vocabSize * h + 2 * h;
  return params * 4;
}

export interface Roofline {
  bytesPerToken: number;
  /** Upper bound on decode tokens/s at this bandwidth. */
  tokensPerSecond: number;
}

/** The memory-bound ceiling of decoding at `context` cached tokens. */
export function decodeRoofline(spec: ModelSpec, context: number, bandwidth: number): Roofline {
  const bytesPerToken = weightBytesPerToken(spec) + context * kvBytesPerToken(spec);
  return { bytesPerToken, tokensPerSecond: bandwidth / bytesPerToken };
}
