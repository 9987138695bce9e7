/**
 * A selection as the app shows it: kept positions, retention map, its totals and the heat of
 * every document character run (what the heatmap paints).
 */
import type { KvSelection } from '../../../app/kv/kept-positions';
import type { HeatSpans, RetentionMap } from '../../../app/kv/retention-map';
import type { KvCacheDims } from '../kv/kv-cache';
import type { ScoreInput } from '../kv/score-input';
import { spansHeat } from '../kv/spans-heat';
import {
  selectForScores,
  summarise,
  type CompressionRequest,
  type RetentionSummary,
} from './compress-cache';
import type { DocumentSpans } from './document-spans';

export interface SelectionView {
  request: CompressionRequest;
  selection: KvSelection;
  retention: RetentionMap;
  /**
   * Document character runs; heat = the layers that kept the token (a per-KV-head layer counts
   * by the fraction of its KV heads) / L.
   */
  heat: HeatSpans;
  summary: RetentionSummary;
  /** Policy + retention map + heat time. */
  ms: number;
}

/** Selects from stored scores and maps the result onto the document. No forward pass. */
export function selectionView(
  scores: ScoreInput,
  spans: DocumentSpans,
  dims: KvCacheDims,
  request: CompressionRequest,
): SelectionView {
  const t0 = performance.now();
  const selected = selectForScores(scores, request, dims);
  const { retention } = selected;
  // Only prefix positions carry document text; the question's tokens map to nothing.
  const n = Math.min(spans.start.length, retention.promptLength);
  const heat = spansHeat(
    retention.tokenLayerWeight.subarray(0, n),
    spans.start.subarray(0, n),
    spans.end.subarray(0, n),
    retention.layerCount,
  );
  return {
    request,
    selection: selected.selection,
    retention,
    heat,
    summary: summarise(request, selected),
    ms: performance.now() - t0,
  };
}
