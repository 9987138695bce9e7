/**
 * CompressKV's offline calibration of one model (compresskv.md, "CompressKV"): ranks the
 * semantic retrieval heads of every layer (heads.json, head-scores.json) and measures the layer
 * eviction errors (layer-scores.json), writing into the model's calibration folder
 * (calibration-folder.ts). Resumable, cancellable, with progress.
 */
import { KvLensError } from '../../../app/errors';
import { buildOrLoadCalibrationGraphs } from '../../../native-models/onnx/calibration/calibration-graph-cache';
import type { ProgressCallback } from '../../../native-models/onnx/build-model-graph';
import { probeGrid, type GridCell } from '../niah/probe-grid';
import type { HaystackSource } from '../niah/haystack';
import type { Needle } from '../niah/needles';
import { ModelSession } from '../runtime/model-session';
import type { ProviderChoice } from '../runtime/providers';
import { ModelTokenizer } from '../tokenizer/model-tokenizer';
import { AttentionProbeSession } from './attention-probe-session';
import { calibrationDirForWriting, existingHeads } from './calibration-folder';
import type { CalibrationProgress } from './progress-clock';
import { writeCalibrationFiles, type CalibrationSettings } from './write-calibration';
import { runHeadsPhase, type HeadProbeRecord } from './heads-phase';
import { runLayersPhase, type LayerProbeRecord } from './layers-phase';
import { ProbeStore, settingsKey } from './probe-store';

export type CalibrateWhat = 'heads' | 'layers' | 'all';

export const CALIBRATION_DEFAULTS = {
  lengths: [512, 1024, 2048],
  depths: [0, 0.25, 0.5, 0.75, 1],
  /** compresskv.md: greedy decoding up to 50 new tokens. */
  maxNewTokens: 50,
  minRecall: 0.5,
  /** compresskv.md: the layer error compresses every layer at a uniform budget of 32. */
  layerBudget: 32,
  window: 8,
  seed: 0,
};

export interface CalibrateOptions {
  what?: CalibrateWhat;
  lengths?: number[];
  depths?: number[];
  /** Cap on the number of probes (the grid is length-major: the first N cells). */
  maxProbes?: number;
  /** Needles from a file (each one at every length and depth); default generated. */
  needles?: Needle[];
  needlesPerCell?: number;
  haystack?: HaystackSource;
  maxNewTokens?: number;
  /** A probe counts for the heads when ROUGE-1 recall > minRecall; negative keeps every probe. */
  minRecall?: number;
  seed?: number;
  /** Write here instead of the model's calibration folder. */
  outDir?: string;
  cacheDir?: string;
  provider?: ProviderChoice;
  signal?: AbortSignal;
  onProgress?: (p: CalibrationProgress) => void;
  /** Graph build progress (default: lines on stderr). */
  onBuildProgress?: ProgressCallback;
}

export interface CalibrationOutcome {
  dir: string;
  where: 'model' | 'cache' | 'out-dir';
  /** Absolute paths of the files written. */
  files: string[];
  heads?: Record<string, number[]>;
  layerScores?: number[];
  probes: { total: number; counted?: number; dropped?: number };
  warnings: string[];
  ms: number;
}

/** Calibrates the model folder `modelDir`; see CalibrateOptions for the knobs. */
export async function calibrate(
  modelDir: string,
  options: CalibrateOptions = {},
): Promise<CalibrationOutcome> {
  const start = performance.now();
  const d = CALIBRATION_DEFAULTS;
  const what = options.what ?? 'all';
  const seed = options.seed ?? d.seed;
  const tokenizer = ModelTokenizer.load(modelDir);
  const graphs = await buildOrLoadCalibrationGraphs(modelDir, {
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(options.onBuildProgress ? { onProgress: options.onBuildProgress } : {}),
  });
  const spec = graphs.manifest.spec;
  const lengths = options.lengths ?? d.lengths;
  const tooLong = lengths.filter((n) => n > spec.maxPositionEmbeddings);
  if (tooLong.length > 0) {
    throw new KvLensError(
      'invalid-argument',
      `Lengths ${tooLong.join(',')} exceed the model's ${spec.maxPositionEmbeddings} positions.`,
    );
  }
  let cells: GridCell[] = probeGrid({
    lengths,
    depths: options.depths ?? d.depths,
    seed,
    ...(options.needles ? { needles: options.needles } : {}),
    ...(options.needlesPerCell ? { needlesPerCell: options.needlesPerCell } : {}),
    ...(options.haystack ? { haystack: options.haystack } : {}),
  });
  if (options.maxProbes !== undefined) cells = cells.slice(0, Math.max(1, options.maxProbes));
  const folder = options.outDir
    ? { dir: options.outDir, where: 'out-dir' as const }
    : await calibrationDirForWriting(modelDir, {
        checkpointHash: graphs.manifest.checkpointHash,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      });
  const settings: CalibrationSettings = {
    lengths,
    depths: options.depths ?? d.depths,
    probes: cells.length,
    needles: options.needles ? 'file' : 'generated',
    needlesPerCell: options.needlesPerCell ?? 1,
    haystack: cells[0]?.haystack.label ?? '',
    seed,
    maxNewTokens: options.maxNewTokens ?? d.maxNewTokens,
    minRecall: options.minRecall ?? d.minRecall,
    checkpointHash: graphs.manifest.checkpointHash,
  };
  // What a stored probe result depends on (not minRecall: counting happens afterwards).
  const probeKey = {
    ...settings,
    lengths: undefined,
    depths: undefined,
    probes: undefined,
    minRecall: undefined,
  };
  const session = await ModelSession.open(graphs.modelPath, spec, {
    provider: options.provider ?? 'cpu',
  });
  // Opened on first use: a heads-only run never needs the probe graph.
  const probes: { session?: AttentionProbeSession } = {};
  const outcome: CalibrationOutcome = {
    dir: folder.dir,
    where: folder.where,
    files: [],
    probes: { total: cells.length },
    warnings: [],
    ms: 0,
  };
  const common = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  try {
    let heads: Record<string, number[]> | undefined;
    if (what !== 'layers') {
      const store = new ProbeStore<HeadProbeRecord>(folder.dir, 'heads', settingsKey(probeKey));
      const res = await runHeadsPhase(session, tokenizer, cells, store, {
        maxNewTokens: settings.maxNewTokens,
        minRecall: settings.minRecall,
        ...common,
      });
      outcome.files.push(
        ...writeCalibrationFiles(folder.dir, { kind: 'heads', spec, settings, result: res }),
      );
      outcome.probes.counted = res.counted.length;
      outcome.probes.dropped = res.dropped.length;
      if (res.counted.length === 0) {
        throw new KvLensError(
          'unsupported',
          `No calibration probe was answered correctly (ROUGE-1 recall > ${settings.minRecall}), so no retrieval heads ` +
            `can be ranked; see ${outcome.files[0]}. Try shorter --lengths, or a model that can answer.`,
        );
      }
      heads = res.heads;
      outcome.heads = heads;
    }
    if (what !== 'heads') {
      heads ??= await existingHeads(folder.dir, modelDir, {
        checkpointHash: settings.checkpointHash,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      });
      const layerSettings = {
        ...probeKey,
        budget: d.layerBudget,
        window: d.window,
        heads: heads ?? null,
      };
      const store = new ProbeStore<LayerProbeRecord>(
        folder.dir,
        'layers',
        settingsKey(layerSettings),
      );
      const res = await runLayersPhase(
        session,
        async () =>
          (probes.session ??= await AttentionProbeSession.open(graphs.probePath, spec.hiddenSize, {
            provider: options.provider ?? 'cpu',
          })),
        tokenizer,
        cells,
        store,
        {
          budget: d.layerBudget,
          window: d.window,
          maxNewTokens: settings.maxNewTokens,
          heads,
          ...common,
        },
      );
      outcome.warnings.push(...res.warnings);
      outcome.files.push(
        ...writeCalibrationFiles(folder.dir, {
          kind: 'layers',
          spec,
          settings,
          result: res,
          budget: d.layerBudget,
          window: d.window,
          headsSource: heads
            ? 'semantic retrieval heads (heads.json)'
            : 'all heads (no heads.json found)',
        }),
      );
      outcome.layerScores = res.avgScore;
    }
  } finally {
    await session.dispose();
    await probes.session?.dispose();
  }
  outcome.ms = performance.now() - start;
  return outcome;
}
