/**
 * Tunable knobs of the compression policies, with the defaults of compresskv.md ("Defaults").
 */
import { KvLensError } from '../errors';

export type Pooling = 'avg' | 'max';

export interface PolicyOptions {
  /** W: the last W prompt tokens form the observation window and are always kept. */
  window: number;
  /**
   * The last max(W, keptTail) prompt tokens are kept whatever their score; the W window rows
   * still do the scoring. 0 (the default) is compresskv.md as written. The app sets it to the
   * length of the question turn, so that a question longer than the window is never evicted and
   * only document tokens compete for the budget (without it the reply loses track of what was
   * asked: demo README, "What remains").
   */
  keptTail: number;
  /** Pooling kernel over the window scores (odd, stride 1, zero padding). */
  kernel: number;
  pooling: Pooling;
  /** How many top-ranked semantic retrieval heads score a layer (capped at H). */
  srhHeads: number;
  /** m: the smallest per-layer budget of the error-aware allocation. */
  minBudget: number;
  /** M: the largest per-layer budget of the error-aware allocation; undefined = 3 x budget. */
  maxBudget: number | undefined;
  /** StreamingLLM's attention sinks (the first tokens, always kept). */
  sinks: number;
  /** PyramidKV's beta: the last layer gets (B - W) / beta prefix tokens. */
  pyramidBeta: number;
}

export const DEFAULT_POLICY_OPTIONS: Readonly<PolicyOptions> = {
  window: 8,
  keptTail: 0,
  kernel: 5,
  pooling: 'avg',
  srhHeads: 4,
  minBudget: 32,
  maxBudget: undefined,
  sinks: 4,
  pyramidBeta: 20,
};

function intAtLeast(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new KvLensError(
      'invalid-argument',
      `Policy option ${name} must be an integer >= ${min}, got ${value}.`,
    );
  }
}

/** Fills defaults and validates; throws KvLensError('invalid-argument') naming the bad option. */
export function resolvePolicyOptions(partial: Partial<PolicyOptions> = {}): PolicyOptions {
  const o: PolicyOptions = { ...DEFAULT_POLICY_OPTIONS };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (o as unknown as Record<string, unknown>)[key] = value;
  }
  intAtLeast('window', o.window, 0);
  intAtLeast('keptTail', o.keptTail, 0);
  intAtLeast('kernel', o.kernel, 1);
  // An even kernel has no centre: with padding k/2 it would shift scores by half a token.
  if (o.kernel % 2 === 0) {
    throw new KvLensError('invalid-argument', `Policy option kernel must be odd, got ${o.kernel}.`);
  }
  if (o.pooling !== 'avg' && o.pooling !== 'max') {
    throw new KvLensError(
      'invalid-argument',
      `Policy option pooling must be avg or max, got ${String(o.pooling)}.`,
    );
  }
  intAtLeast('srhHeads', o.srhHeads, 1);
  intAtLeast('minBudget', o.minBudget, 1);
  if (o.maxBudget !== undefined) intAtLeast('maxBudget', o.maxBudget, 1);
  intAtLeast('sinks', o.sinks, 0);
  if (!(o.pyramidBeta > 0)) {
    throw new KvLensError(
      'invalid-argument',
      `Policy option pyramidBeta must be > 0, got ${o.pyramidBeta}.`,
    );
  }
  return o;
}
