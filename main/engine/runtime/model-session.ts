/**
 * One ONNX Runtime session for one model graph, with the graph contract's names discovered from
 * the session itself (architecture.md: names and shapes are read from session metadata).
 */
import * as ort from 'onnxruntime-node';
import {
  INPUT_IDS,
  LOGITS,
  PAST_LENGTHS,
  POSITION_IDS,
  SCORE_ROWS,
  attnScoresAllName,
  attnScoresName,
  layerOfPastKey,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import { KvLensError } from '../../../app/errors';
import { KvCache, type KvCacheDims } from '../kv/kv-cache';
import { createSession, type ProviderReport, type SessionSettings } from './providers';
import { toCacheColumns } from './score-columns';
import { toInt64 } from './tensors';

/** One forward call: S new tokens on top of `cache`, at explicit positions. */
export interface Step {
  inputIds: readonly number[] | BigInt64Array;
  positionIds: readonly number[] | BigInt64Array;
  /** [S]: 1 where a query row adds to attn_scores; when set, per-layer scores are returned. */
  scoreRows?: Float32Array;
  /** Also return attn_scores_all (sum over every row) when the graph has it. */
  wantScoresAll?: boolean;
  /** Updated in place: each layer gets the S new entries appended (written into spare slots). */
  cache: KvCache;
  /** Further float32 graph outputs to return by name (calibration graphs' layer outputs). */
  extraOutputs?: readonly string[];
}

export interface StepResult {
  /** [V] logits of the last of the S rows. */
  logits: Float32Array;
  /** Per layer [H, P_l + S] (columns = cache indices after the append), only with `scoreRows`. */
  scores?: Float32Array[];
  /** Per layer [H, P_l + S], same columns, only when asked for and the graph has attn_scores_all. */
  scoresAll?: Float32Array[];
  /** The `extraOutputs` asked for, by name. */
  extra?: Record<string, Float32Array>;
}

export class ModelSession {
  readonly report: ProviderReport;
  readonly dims: KvCacheDims;
  readonly numHeads: number;
  readonly vocabSize: number;
  /** Whether the graph outputs attn_scores_all.{l} (H2O's accumulated attention). */
  readonly hasScoresAll: boolean;
  /** Forward passes run so far (tests use it to prove re-selection needs none). */
  runCount = 0;
  private session: ort.InferenceSession | null;
  private readonly hasScoreRows: boolean;

  private constructor(session: ort.InferenceSession, report: ProviderReport, shape: GraphShape) {
    this.session = session;
    this.report = report;
    this.dims = shape.dims;
    this.numHeads = shape.numHeads;
    this.vocabSize = shape.vocabSize;
    this.hasScoresAll = session.outputNames.includes(attnScoresAllName(0));
    this.hasScoreRows = session.inputNames.includes(SCORE_ROWS);
  }

  /** Loads a contract graph; `numHeads`/`vocabSize` come from the manifest's spec. */
  static async open(
    onnxPath: string,
    model: { numHeads: number; vocabSize: number },
    settings: SessionSettings = {},
  ): Promise<ModelSession> {
    const { session, report } = await createSession(onnxPath, settings);
    try {
      const shape = discover(session, onnxPath, model);
      return new ModelSession(session, report, shape);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** An empty cache shaped for this graph. */
  emptyCache(nextPosition = 0): KvCache {
    return KvCache.empty(this.dims, nextPosition);
  }

  /**
   * Runs one forward pass and appends the S new entries to every layer of the cache.
   *
   * The cache's capacity buffers are fed as they are (ORT tensors over the same memory, no copy)
   * with past_lengths saying how much of each is valid; only the small new entries come back.
   * A multi-token chunk on a layer with many spare slots gets a compact copy instead
   * (feedsCompactPast): attention work grows with the fed capacity times S.
   */
  async run(step: Step): Promise<StepResult> {
    const session = this.live();
    const S = step.inputIds.length;
    if (S === 0 || step.positionIds.length !== S) {
      throw new Error(`ModelSession.run: ${S} ids and ${step.positionIds.length} positions`);
    }
    const { cache } = step;
    const { numLayers: L, numKvHeads: G, headDim: d } = this.dims;
    const lengths = cache.lengths();
    // What each layer's past input holds: the storage itself (zero copy), or a compact copy
    // when the spare slots would cost more attention work than copying the valid entries.
    const compact = range(L).map((l) =>
      feedsCompactPast(S, cache.capacity(l), lengths[l]!, this.numHeads, G),
    );
    const capacities = range(L).map((l) => (compact[l] ? lengths[l]! : cache.capacity(l)));
    const feeds: Record<string, ort.Tensor> = {
      [INPUT_IDS]: new ort.Tensor('int64', toInt64(step.inputIds), [1, S]),
      [POSITION_IDS]: new ort.Tensor('int64', toInt64(step.positionIds), [1, S]),
      [PAST_LENGTHS]: new ort.Tensor('int64', toInt64(lengths), [L]),
    };
    if (this.hasScoreRows) {
      const rows = step.scoreRows ?? new Float32Array(S);
      feeds[SCORE_ROWS] = new ort.Tensor('float32', rows, [1, S]);
    }
    const fetches = [LOGITS];
    for (let l = 0; l < L; l++) {
      const C = capacities[l]!;
      const [k, v] = compact[l]
        ? [cache.keyData(l), cache.valueData(l)]
        : [cache.keyBuffer(l), cache.valueBuffer(l)];
      feeds[pastKeyName(l)] = new ort.Tensor('float32', k, [1, G, C, d]);
      feeds[pastValueName(l)] = new ort.Tensor('float32', v, [1, G, C, d]);
      fetches.push(newKeyName(l), newValueName(l));
      if (step.scoreRows) fetches.push(attnScoresName(l));
      if (step.wantScoresAll && this.hasScoresAll) fetches.push(attnScoresAllName(l));
    }
    fetches.push(...(step.extraOutputs ?? []));
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await session.run(feeds, fetches);
    } catch (err) {
      throw asOutOfMemory(err, S, lengths) ?? err;
    } finally {
      for (const t of Object.values(feeds)) t.dispose();
    }
    this.runCount++;
    try {
      const data = (name: string) => tensorData(out, name);
      const H = this.numHeads;
      const columns = (name: string, l: number) =>
        toCacheColumns(data(name), H, capacities[l]!, lengths[l]!, S);
      const result: StepResult = { logits: data(LOGITS) };
      const positions = Array.from(step.positionIds, Number);
      for (let l = 0; l < L; l++) {
        cache.appendLayer(l, data(newKeyName(l)), data(newValueName(l)), positions);
      }
      cache.nextPosition = positions[S - 1]! + 1;
      if (step.scoreRows) result.scores = range(L).map((l) => columns(attnScoresName(l), l));
      if (step.wantScoresAll && this.hasScoresAll) {
        result.scoresAll = range(L).map((l) => columns(attnScoresAllName(l), l));
      }
      if (step.extraOutputs) {
        result.extra = Object.fromEntries(step.extraOutputs.map((n) => [n, data(n)]));
      }
      return result;
    } finally {
      // New entries were copied into the cache; logits and scores stay alive on their own.
      for (const t of Object.values(out)) t.dispose();
    }
  }

  /** Releases the ORT session; the object cannot run afterwards. */
  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.release();
  }

  private live(): ort.InferenceSession {
    if (!this.session) throw new Error('ModelSession used after dispose()');
    return this.session;
  }
}

interface GraphShape {
  dims: KvCacheDims;
  numHeads: number;
  vocabSize: number;
}

/** Layers, G and d from the session's own input names and metadata. */
function discover(
  session: ort.InferenceSession,
  onnxPath: string,
  model: { numHeads: number; vocabSize: number },
): GraphShape {
  const layers = session.inputNames
    .map(layerOfPastKey)
    .filter((l): l is number => l !== null)
    .sort((a, b) => a - b);
  const L = layers.length;
  const missing: string[] = [];
  for (const name of [INPUT_IDS, POSITION_IDS, PAST_LENGTHS]) {
    if (!session.inputNames.includes(name)) missing.push(name);
  }
  if (!session.outputNames.includes(LOGITS)) missing.push(LOGITS);
  for (let l = 0; l < L; l++) {
    if (layers[l] !== l) missing.push(pastKeyName(l));
    if (!session.inputNames.includes(pastValueName(l))) missing.push(pastValueName(l));
    for (const n of [newKeyName(l), newValueName(l), attnScoresName(l)]) {
      if (!session.outputNames.includes(n)) missing.push(n);
    }
  }
  if (L === 0 || missing.length > 0) {
    throw new KvLensError(
      'invalid-checkpoint',
      `${onnxPath} does not follow the KV Lens graph contract (missing: ${missing.slice(0, 5).join(', ') || 'past_key_values.*'}). Delete the cached graph so it is rebuilt.`,
    );
  }
  const meta = session.inputMetadata.find((m) => m.name === pastKeyName(0));
  const shape = meta && meta.isTensor ? meta.shape : [];
  const G = shape[1];
  const d = shape[3];
  if (typeof G !== 'number' || typeof d !== 'number') {
    throw new KvLensError(
      'invalid-checkpoint',
      `${onnxPath}: ${pastKeyName(0)} must have fixed KV-head and head-size dims, got [${shape.join(', ')}].`,
    );
  }
  return { dims: { numLayers: L, numKvHeads: G, headDim: d }, ...model };
}

/**
 * Whether a layer's past is better fed as a compact copy than as its capacity buffer: every
 * spare slot costs S query rows x H heads of masked attention work (both MatMuls, the mask and
 * the softmax), a compact copy costs reading and writing the len valid entries of G KV heads.
 * A prefill chunk on a cache reserved for the whole prompt is compacted, since its spare slots
 * outnumber its valid ones. A single-token step is never compacted: it is bound by reading the
 * buffer, and a copy would read the same bytes and write them too.
 */
export function feedsCompactPast(
  S: number,
  capacity: number,
  length: number,
  H: number,
  G: number,
): boolean {
  return S > 1 && capacity > length && S * (capacity - length) * H > 2 * length * G;
}

function tensorData(out: ort.InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Float32Array)) {
    throw new Error(`ModelSession: output ${name} missing or not float32`);
  }
  return t.data;
}

/** ORT's allocation failures as a typed error the app can tell the user about. */
function asOutOfMemory(err: unknown, S: number, lengths: number[]): KvLensError | null {
  const msg = err instanceof Error ? err.message : String(err);
  if (!/bad_alloc|Failed to allocate|out of memory/i.test(msg)) return null;
  const cached = Math.max(0, ...lengths);
  return new KvLensError(
    'out-of-memory',
    `Out of memory running ${S} tokens on a cache of ${cached} tokens. Use a smaller prefill chunk size, a lower KV budget or a shorter document.`,
  );
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
