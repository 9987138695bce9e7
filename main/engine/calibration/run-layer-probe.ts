/**
 * One layer-error probe (compresskv.md, "Layer eviction error"): the prompt is prefilled with
 * window scores and compressed with the SRH rule at a uniform budget; decoding continues on the
 * FULL cache, and at each step the attention probe graph recomputes every layer's attention
 * output on the compressed cache (kept positions + the generated tokens so far) from the same
 * layer input as the full path.
 */
import { CancelledError } from '../../../app/errors';
import type { Calibration } from '../../../app/kv/kept-positions';
import {
  attnOutputName,
  layerInputName,
} from '../../../native-models/onnx/calibration/calibration-contract';
import { prefill } from '../generation/prefill';
import { argmax } from '../generation/sampling';
import type { KvCache } from '../kv/kv-cache';
import { selectKept } from '../kv/select-kept';
import type { ModelSession } from '../runtime/model-session';
import type { AttentionProbeSession } from './attention-probe-session';
import { LayerErrorSum } from './layer-error';

export interface LayerProbeOptions {
  /** Uniform per-layer budget of the compressed cache (the spec's 32). */
  budget: number;
  window: number;
  /** Decode forward passes = maxNewTokens - 1 (the first token comes from the prefill). */
  maxNewTokens: number;
  eosIds: readonly number[];
  heads: Calibration['heads'];
  signal?: AbortSignal;
  chunkSize?: number;
}

export interface LayerProbeRun {
  /** Per layer: sum over this probe's decode steps of e_t. */
  sums: number[];
  steps: number;
  /** Per layer, the prompt positions the compressed cache kept (ascending). */
  kept: number[][];
  /** Greedy tokens of the full path (the first one from the prefill). */
  tokens: number[];
  warnings: string[];
}

/** Runs one probe on the calibration model (`session`) and the attention probe. */
export async function runLayerProbe(
  session: ModelSession,
  probe: AttentionProbeSession,
  promptIds: readonly number[],
  o: LayerProbeOptions,
): Promise<LayerProbeRun> {
  const L = session.dims.numLayers;
  const names = Array.from({ length: L }, (_, l) => [layerInputName(l), attnOutputName(l)]).flat();
  const errors = new LayerErrorSum(L);
  const eos = new Set(o.eosIds);
  const full = session.emptyCache();
  let comp: KvCache | null = null;
  try {
    const pre = await prefill(session, full, promptIds, {
      window: o.window,
      ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const calibration = o.heads ? { heads: o.heads } : {};
    const sel = selectKept('srh-only', pre.scores!, o.budget, { window: o.window }, calibration);
    comp = full.gather(sel.layers);
    let y = argmax(pre.logits);
    const tokens = [y];
    for (let made = 1; made < o.maxNewTokens && !eos.has(y); made++) {
      if (o.signal?.aborted) throw new CancelledError('Calibration');
      const position = full.nextPosition;
      const out = await session.run({
        inputIds: [y],
        positionIds: [position],
        cache: full,
        extraOutputs: names,
      });
      const extra = out.extra!;
      const inputs = Array.from({ length: L }, (_, l) => extra[layerInputName(l)]!);
      const compOut = await probe.step(inputs, position, comp);
      errors.addStep(
        compOut,
        Array.from({ length: L }, (_, l) => extra[attnOutputName(l)]!),
      );
      y = argmax(out.logits);
      tokens.push(y);
    }
    const kept = sel.layers.map((k) =>
      Array.from(k.kind === 'shared' ? k.kept : (k.kvHeads[0] ?? [])),
    );
    return {
      sums: Array.from(errors.sums),
      steps: errors.steps,
      kept,
      tokens,
      warnings: sel.warnings,
    };
  } finally {
    full.dispose();
    comp?.dispose();
  }
}
