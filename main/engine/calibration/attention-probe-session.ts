/**
 * Runs the attention probe graph (native-models/onnx/calibration): every layer's attention block
 * on its own cache, from given normalised hidden states. One call = one decode step.
 */
import * as ort from 'onnxruntime-node';
import {
  POSITION_IDS,
  SCORE_ROWS,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import {
  attnOutputName,
  layerInputName,
} from '../../../native-models/onnx/calibration/calibration-contract';
import type { KvCache } from '../kv/kv-cache';
import { createSession, type SessionSettings } from '../runtime/providers';

export class AttentionProbeSession {
  private session: ort.InferenceSession | null;

  private constructor(
    session: ort.InferenceSession,
    private readonly hiddenSize: number,
  ) {
    this.session = session;
  }

  static async open(
    onnxPath: string,
    hiddenSize: number,
    settings: SessionSettings = {},
  ): Promise<AttentionProbeSession> {
    const { session } = await createSession(onnxPath, settings);
    return new AttentionProbeSession(session, hiddenSize);
  }

  /**
   * One new row per layer at `position`: `layerInputs[l]` ([hidden]) attends over `cache` layer l
   * plus itself. Returns each layer's attention output after o_proj; the cache gets the row's K/V.
   */
  async step(
    layerInputs: readonly Float32Array[],
    position: number,
    cache: KvCache,
  ): Promise<Float32Array[]> {
    const session = this.session;
    if (!session) throw new Error('AttentionProbeSession used after dispose()');
    const { numLayers: L, numKvHeads: G, headDim: d } = cache;
    if (layerInputs.length !== L)
      throw new Error(`probe: ${layerInputs.length} layer inputs for ${L} layers`);
    const feeds: Record<string, ort.Tensor> = {
      [POSITION_IDS]: new ort.Tensor('int64', BigInt64Array.from([BigInt(position)]), [1, 1]),
      [SCORE_ROWS]: new ort.Tensor('float32', new Float32Array(1), [1, 1]),
    };
    const fetches: string[] = [];
    for (let l = 0; l < L; l++) {
      const P = cache.length(l);
      feeds[layerInputName(l)] = new ort.Tensor('float32', layerInputs[l]!, [
        1,
        1,
        this.hiddenSize,
      ]);
      // The probe has no past_lengths input: it gets the compact [G, P, d] entries.
      feeds[pastKeyName(l)] = new ort.Tensor('float32', cache.keyData(l), [1, G, P, d]);
      feeds[pastValueName(l)] = new ort.Tensor('float32', cache.valueData(l), [1, G, P, d]);
      fetches.push(attnOutputName(l), newKeyName(l), newValueName(l));
    }
    const out = await session.run(feeds, fetches);
    const data = (name: string): Float32Array => {
      const t = out[name];
      if (!t || !(t.data instanceof Float32Array)) throw new Error(`probe output ${name} missing`);
      return t.data;
    };
    const outputs: Float32Array[] = [];
    for (let l = 0; l < L; l++) {
      outputs.push(data(attnOutputName(l)));
      cache.appendLayer(l, data(newKeyName(l)), data(newValueName(l)), [position]);
    }
    cache.nextPosition = position + 1;
    return outputs;
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.release();
  }
}
