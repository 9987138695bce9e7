/**
 * One SRH probe: greedy decoding with the full cache, crediting each generated token's attention
 * rows to the heads (srh-score.ts).
 *
 * The prompt minus its last token is prefilled without scores; then every forward pass feeds one
 * token with score_rows = [1], so its attn_scores output is exactly the attention row of the query
 * that predicts the next token: the last prompt token's row for y_1, y_1's row for y_2, ...
 */
import { CancelledError, KvLensError } from '../../../app/errors';
import { prefill } from '../generation/prefill';
import { argmax } from '../generation/sampling';
import type { Probe } from '../niah/build-probe';
import type { ModelSession } from '../runtime/model-session';
import { SrhAccumulator, type ProbeHeadScores } from './srh-score';

export interface SrhProbeOptions {
  maxNewTokens: number;
  eosIds: readonly number[];
  signal?: AbortSignal;
  chunkSize?: number;
}

export interface SrhProbeRun extends ProbeHeadScores {
  /** Generated ids, eos excluded. */
  tokens: number[];
}

/** Runs one probe and returns its generated tokens and per-head scores. */
export async function runSrhProbe(
  session: ModelSession,
  probe: Pick<Probe, 'promptIds' | 'answerPositions'>,
  o: SrhProbeOptions,
): Promise<SrhProbeRun> {
  const ids = probe.promptIds;
  if (ids.length < 2)
    throw new KvLensError('invalid-argument', 'A probe prompt needs at least 2 tokens.');
  const { numLayers: L } = session.dims;
  const acc = new SrhAccumulator(L, session.numHeads, ids, probe.answerPositions);
  const eos = new Set(o.eosIds);
  const cache = session.emptyCache();
  const tokens: number[] = [];
  try {
    await prefill(session, cache, ids.slice(0, -1), {
      ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    let input = ids[ids.length - 1]!;
    const oneRow = new Float32Array([1]);
    while (tokens.length < o.maxNewTokens) {
      if (o.signal?.aborted) throw new CancelledError('Calibration');
      const out = await session.run({
        inputIds: [input],
        positionIds: [cache.nextPosition],
        scoreRows: oneRow,
        cache,
      });
      const y = argmax(out.logits);
      if (eos.has(y)) break;
      acc.addStep(y, out.scores!);
      tokens.push(y);
      input = y;
    }
  } finally {
    cache.dispose();
  }
  return { tokens, ...acc.result() };
}
