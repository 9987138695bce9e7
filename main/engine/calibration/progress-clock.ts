/**
 * Progress with an ETA for a list of probes of different lengths: the rate is measured in prompt
 * tokens per millisecond over the probes actually run (probes resumed from disk cost nothing).
 */

export interface CalibrationProgress {
  phase: 'heads' | 'layers';
  /** Probes finished (run or resumed) in this phase, and the phase's total. */
  done: number;
  total: number;
  /** The probe just finished. */
  probe: string;
  resumed: boolean;
  elapsedMs: number;
  /** Estimated time left in this phase (NaN until one probe has run). */
  etaMs: number;
}

export class ProgressClock {
  private readonly start = performance.now();
  private ranTokens = 0;
  private leftTokens: number;
  done = 0;

  constructor(
    readonly phase: CalibrationProgress['phase'],
    private readonly weights: readonly number[],
  ) {
    this.leftTokens = weights.reduce((a, b) => a + b, 0);
  }

  /** Marks probe `index` finished and returns the progress report. */
  tick(index: number, probe: string, resumed: boolean): CalibrationProgress {
    const w = this.weights[index] ?? 0;
    this.leftTokens -= w;
    if (!resumed) this.ranTokens += w;
    this.done++;
    const elapsedMs = performance.now() - this.start;
    const etaMs = this.ranTokens > 0 ? (elapsedMs / this.ranTokens) * this.leftTokens : NaN;
    return {
      phase: this.phase,
      done: this.done,
      total: this.weights.length,
      probe,
      resumed,
      elapsedMs,
      etaMs,
    };
  }
}

/** "probe 3 of 15 (L1024-D0.5-code-12), 42 s left" for logs. */
export function formatProgress(p: CalibrationProgress): string {
  const eta = Number.isFinite(p.etaMs) ? `, ${Math.round(p.etaMs / 1000)} s left` : '';
  const how = p.resumed ? ' (resumed from disk)' : '';
  return `calibrate ${p.phase}: probe ${p.done} of ${p.total} (${p.probe})${how}${eta}`;
}
