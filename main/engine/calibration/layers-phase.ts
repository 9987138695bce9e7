/**
 * The layer-error half of the calibration: per probe, the summed relative errors of every layer
 * (resumable), then the total over probes, L1-normalised.
 */
import type { Calibration } from '../../../app/kv/kept-positions';
import { buildProbe } from '../niah/build-probe';
import type { GridCell } from '../niah/probe-grid';
import type { ModelSession } from '../runtime/model-session';
import type { ModelTokenizer } from '../tokenizer/model-tokenizer';
import type { AttentionProbeSession } from './attention-probe-session';
import { normaliseLayerErrors } from './layer-error';
import { ProbeStore } from './probe-store';
import { ProgressClock, type CalibrationProgress } from './progress-clock';
import { runLayerProbe } from './run-layer-probe';

export interface LayerProbeRecord {
  id: string;
  promptTokens: number;
  sums: number[];
  steps: number;
}

export interface LayersPhaseOptions {
  budget: number;
  window: number;
  maxNewTokens: number;
  heads: Calibration['heads'];
  signal?: AbortSignal;
  onProgress?: (p: CalibrationProgress) => void;
}

export interface LayersPhaseResult {
  records: LayerProbeRecord[];
  /** Per layer, summed over steps and probes. */
  sums: number[];
  steps: number;
  /** L1-normalised sums: the layer scores e_1..e_L. */
  avgScore: number[];
  warnings: string[];
}

/** Runs (or resumes) every cell's layer-error probe and aggregates. */
export async function runLayersPhase(
  session: ModelSession,
  probeSession: () => Promise<AttentionProbeSession>,
  tokenizer: ModelTokenizer,
  cells: readonly GridCell[],
  store: ProbeStore<LayerProbeRecord>,
  o: LayersPhaseOptions,
): Promise<LayersPhaseResult> {
  const clock = new ProgressClock(
    'layers',
    cells.map((c) => c.length),
  );
  const records: LayerProbeRecord[] = [];
  const warnings = new Set<string>();
  for (const [i, cell] of cells.entries()) {
    let rec = store.get(cell.id);
    const resumed = rec !== undefined;
    if (!rec) {
      const probe = buildProbe(tokenizer, cell.haystack, cell);
      const run = await runLayerProbe(session, await probeSession(), probe.promptIds, {
        budget: o.budget,
        window: o.window,
        maxNewTokens: o.maxNewTokens,
        eosIds: tokenizer.eosTokenIds,
        heads: o.heads,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      run.warnings.forEach((w) => warnings.add(w));
      rec = { id: cell.id, promptTokens: probe.promptIds.length, sums: run.sums, steps: run.steps };
      store.add(rec);
    }
    records.push(rec);
    o.onProgress?.(clock.tick(i, cell.id, resumed));
  }
  const L = session.dims.numLayers;
  const sums = new Array<number>(L).fill(0);
  for (const r of records) r.sums.forEach((s, l) => (sums[l]! += s));
  return {
    records,
    sums,
    steps: records.reduce((a, r) => a + r.steps, 0),
    avgScore: normaliseLayerErrors(sums),
    warnings: [...warnings],
  };
}
