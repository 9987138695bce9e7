/**
 * The calibration's output files (formats in calibration-folder.ts): heads.json in exactly the
 * layout `inspect --heads` reads, head-scores.json with the raw scores and probe settings, and
 * layer-scores.json with `avg_score` as the CompressKV reference's layer-score files have it.
 */
import { join } from 'node:path';
import type { ModelSpec } from '../../../app/model/model-spec';
import { HEAD_SCORES_FILE, HEADS_FILE, LAYER_SCORES_FILE } from './calibration-folder';
import type { HeadsPhaseResult } from './heads-phase';
import type { LayersPhaseResult } from './layers-phase';
import { writeJsonFile } from './write-json';
import { writeFileSync, renameSync } from 'node:fs';

export interface CalibrationSettings {
  lengths: number[];
  depths: number[];
  probes: number;
  needles: 'file' | 'generated';
  needlesPerCell: number;
  haystack: string;
  seed: number;
  maxNewTokens: number;
  minRecall: number;
  checkpointHash: string;
}

export type CalibrationFiles =
  | { kind: 'heads'; spec: ModelSpec; settings: CalibrationSettings; result: HeadsPhaseResult }
  | {
      kind: 'layers';
      spec: ModelSpec;
      settings: CalibrationSettings;
      result: LayersPhaseResult;
      budget: number;
      window: number;
      headsSource: string;
    };

const model = (spec: ModelSpec, hash: string) => ({
  family: spec.family,
  numLayers: spec.numLayers,
  numHeads: spec.numHeads,
  numKvHeads: spec.numKvHeads,
  checkpointHash: hash,
});

/** Writes the files of one phase into `dir`; returns their paths. */
export function writeCalibrationFiles(dir: string, f: CalibrationFiles): string[] {
  const s = f.settings;
  if (f.kind === 'layers') {
    const path = join(dir, LAYER_SCORES_FILE);
    writeJsonFile(path, {
      avg_score: f.result.avgScore,
      sums: f.result.sums,
      rule:
        'Per decode step and layer e_t = ||O_comp - O_full||_F / (||O_full||_F + 1e-5) after o_proj, with the compressed ' +
        'cache made by the SRH rule at a uniform budget; summed over steps and probes, L1-normalised.',
      budget: f.budget,
      window: f.window,
      heads: f.headsSource,
      steps: f.result.steps,
      model: model(f.spec, s.checkpointHash),
      settings: s,
      probes: f.result.records.map((r) => ({
        id: r.id,
        promptTokens: r.promptTokens,
        steps: r.steps,
        sums: r.sums,
      })),
    });
    return [path];
  }
  const r = f.result;
  const scoresPath = join(dir, HEAD_SCORES_FILE);
  writeJsonFile(scoresPath, {
    rule:
      'SRH: at each generated token y_t, per layer and query head, for every answer position i with token y_t add the ' +
      'attention mass on the answer span; mean over counted probes. retrieval: the traditional score (top-1 attended ' +
      'position is the copied answer token, 1/|span| each).',
    ...(s.minRecall < 0.5
      ? {
          note: `minRecall ${s.minRecall} is below the spec's 0.5: probes with wrong answers were counted. Use such a ranking only to test the pipeline.`,
        }
      : {}),
    model: model(f.spec, s.checkpointHash),
    settings: s,
    counted: r.counted.length,
    dropped: r.dropped.length,
    srh: r.srh,
    retrieval: r.retrieval,
    ranking: r.heads,
    retrievalRanking: r.retrievalHeads,
    probes: r.records.map((p) => ({
      id: p.id,
      length: p.length,
      promptTokens: p.promptTokens,
      depth: p.depth,
      needle: p.needle,
      answer: p.answer,
      output: p.output,
      recall: p.recall,
      exact: p.exact,
      counted: p.recall > s.minRecall,
    })),
  });
  if (r.counted.length === 0) return [scoresPath];
  const headsPath = join(dir, HEADS_FILE);
  // One line per layer: readable, and still exactly {"0": [...], ...}.
  const lines = Object.entries(r.heads).map(
    ([l, hs]) => `  ${JSON.stringify(l)}: ${JSON.stringify(hs)}`,
  );
  const tmp = `${headsPath}.tmp-${process.pid}`;
  writeFileSync(tmp, `{\n${lines.join(',\n')}\n}\n`);
  renameSync(tmp, headsPath);
  return [headsPath, scoresPath];
}
