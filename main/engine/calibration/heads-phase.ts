/**
 * The SRH half of the calibration: run the probes (resumable), keep the ones answered correctly,
 * average the per-head scores and rank the heads of every layer.
 */
import { rouge1Recall, exactMatch } from '../niah/answer-score';
import { buildProbe } from '../niah/build-probe';
import type { GridCell } from '../niah/probe-grid';
import type { ModelSession } from '../runtime/model-session';
import type { ModelTokenizer } from '../tokenizer/model-tokenizer';
import { meanScores, rankHeads } from './head-ranking';
import { ProbeStore } from './probe-store';
import { ProgressClock, type CalibrationProgress } from './progress-clock';
import { runSrhProbe } from './run-srh-probe';

export interface HeadProbeRecord {
  id: string;
  length: number;
  /** Actual prompt tokens (the target length or a little less). */
  promptTokens: number;
  depth: number;
  needle: string;
  answer: string;
  output: string;
  recall: number;
  exact: boolean;
  srh: number[][];
  retrieval: number[][];
}

export interface HeadsPhaseOptions {
  maxNewTokens: number;
  /** A probe counts when its ROUGE-1 recall is > minRecall (spec: 0.5; negative keeps all). */
  minRecall: number;
  signal?: AbortSignal;
  onProgress?: (p: CalibrationProgress) => void;
}

export interface HeadsPhaseResult {
  records: HeadProbeRecord[];
  counted: string[];
  dropped: string[];
  /** [layer][head] means over the counted probes. */
  srh: number[][];
  retrieval: number[][];
  /** Per layer, all query heads best first (empty object when no probe counted). */
  heads: Record<string, number[]>;
  retrievalHeads: Record<string, number[]>;
}

/** Runs (or resumes) every cell's SRH probe and aggregates. */
export async function runHeadsPhase(
  session: ModelSession,
  tokenizer: ModelTokenizer,
  cells: readonly GridCell[],
  store: ProbeStore<HeadProbeRecord>,
  o: HeadsPhaseOptions,
): Promise<HeadsPhaseResult> {
  const clock = new ProgressClock(
    'heads',
    cells.map((c) => c.length),
  );
  const records: HeadProbeRecord[] = [];
  for (const [i, cell] of cells.entries()) {
    let rec = store.get(cell.id);
    const resumed = rec !== undefined;
    if (!rec) {
      const probe = buildProbe(tokenizer, cell.haystack, cell);
      const run = await runSrhProbe(session, probe, {
        maxNewTokens: o.maxNewTokens,
        eosIds: tokenizer.eosTokenIds,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const output = tokenizer.decode(run.tokens);
      rec = {
        id: cell.id,
        length: cell.length,
        promptTokens: probe.promptIds.length,
        depth: cell.depth,
        needle: cell.needle.id,
        answer: cell.needle.answer,
        output,
        recall: rouge1Recall(cell.needle.answer, output),
        exact: exactMatch(cell.needle.answer, output),
        srh: run.srh,
        retrieval: run.retrieval,
      };
      store.add(rec);
    }
    records.push(rec);
    o.onProgress?.(clock.tick(i, cell.id, resumed));
  }
  const L = session.dims.numLayers;
  const H = session.numHeads;
  const kept = records.filter((r) => r.recall > o.minRecall);
  const srh = meanScores(
    kept.map((r) => r.srh),
    L,
    H,
  );
  const retrieval = meanScores(
    kept.map((r) => r.retrieval),
    L,
    H,
  );
  return {
    records,
    counted: kept.map((r) => r.id),
    dropped: records.filter((r) => !(r.recall > o.minRecall)).map((r) => r.id),
    srh,
    retrieval,
    heads: kept.length > 0 ? rankHeads(srh) : {},
    retrievalHeads: kept.length > 0 ? rankHeads(retrieval) : {},
  };
}
