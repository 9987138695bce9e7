/**
 * Per-probe head scores from the attention rows of generated tokens (compresskv.md, "Semantic
 * retrieval heads"), plus the traditional retrieval-head score for comparison.
 *
 * At each generated token y_t the caller passes, per layer, the attention row a_t of the query
 * that produced y_t ([H, C] row-major over the C cached positions at that step; prompt positions
 * come first, at their own indices). For query head h:
 * - SRH: for every answer position i with promptIds[i] == y_t, add sum over j in span(A) of
 *   a_t[h, j]. A token that occurs twice in the answer is credited twice.
 * - Retrieval (Wu et al.'s copy-paste score): if the top-1 attended position j (over all C) lies
 *   in span(A) and promptIds[j] == y_t, add 1 / |span(A)|.
 */

export interface ProbeHeadScores {
  /** [layer][head] */
  srh: number[][];
  retrieval: number[][];
}

export class SrhAccumulator {
  readonly srh: Float64Array[];
  readonly retrieval: Float64Array[];
  private readonly span: readonly number[];
  private readonly spanSet: Set<number>;

  constructor(
    private readonly numLayers: number,
    private readonly numHeads: number,
    private readonly promptIds: readonly number[],
    answerPositions: readonly number[],
  ) {
    if (answerPositions.length === 0) throw new Error('SrhAccumulator: empty answer span');
    for (const p of answerPositions) {
      if (!Number.isInteger(p) || p < 0 || p >= promptIds.length) {
        throw new Error(`SrhAccumulator: answer position ${p} outside the prompt`);
      }
    }
    this.span = [...answerPositions];
    this.spanSet = new Set(answerPositions);
    this.srh = Array.from({ length: numLayers }, () => new Float64Array(numHeads));
    this.retrieval = Array.from({ length: numLayers }, () => new Float64Array(numHeads));
  }

  /** Credits one generated token `tokenId` given its attention rows (one [H, C] per layer). */
  addStep(tokenId: number, rows: readonly Float32Array[]): void {
    if (rows.length !== this.numLayers) {
      throw new Error(`SrhAccumulator: ${rows.length} layers of rows, want ${this.numLayers}`);
    }
    const H = this.numHeads;
    const copies = this.span.filter((i) => this.promptIds[i] === tokenId).length;
    rows.forEach((row, l) => {
      const C = row.length / H;
      if (!Number.isInteger(C) || C < this.promptIds.length) {
        throw new Error(
          `SrhAccumulator: layer ${l} row of ${row.length} values does not cover the prompt`,
        );
      }
      for (let h = 0; h < H; h++) {
        const base = h * C;
        if (copies > 0) {
          let mass = 0;
          for (const j of this.span) mass += row[base + j]!;
          this.srh[l]![h] = this.srh[l]![h]! + copies * mass;
        }
        let top = 0;
        for (let j = 1; j < C; j++) if (row[base + j]! > row[base + top]!) top = j;
        if (this.spanSet.has(top) && this.promptIds[top] === tokenId) {
          this.retrieval[l]![h] = this.retrieval[l]![h]! + 1 / this.span.length;
        }
      }
    });
  }

  /** The probe's scores as plain arrays (JSON-ready). */
  result(): ProbeHeadScores {
    return {
      srh: this.srh.map((r) => Array.from(r)),
      retrieval: this.retrieval.map((r) => Array.from(r)),
    };
  }
}
