/**
 * Writes the two calibration graphs of a checkpoint into a folder: the calibration model (the
 * contract graph plus per-layer attention inputs and outputs) and the attention probe, each with
 * its own external data file, plus a manifest.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '../../checkpoint/checkpoint';
import { DEFAULT_GRAPH_OPS, type GraphOps } from '../blocks/block-context';
import { GRAPH_BUILDER_VERSION, type ProgressCallback } from '../build-model-graph';
import { hashCheckpointFiles } from '../hash-checkpoint';
import { makeModel } from '../make-model';
import { encodeModel } from '../proto/onnx-encode';
import type { ModelDef } from '../proto/onnx-types';
import { ExternalWeightSink } from '../weight-sink';
import { addLayerOutputs } from './add-layer-outputs';
import {
  ATTENTION_PROBE_DATA,
  ATTENTION_PROBE_FILE,
  CALIBRATION_GRAPHS_VERSION,
  CALIBRATION_MANIFEST_FILE,
  CALIBRATION_MODEL_DATA,
  CALIBRATION_MODEL_FILE,
  type CalibrationGraphsManifest,
} from './calibration-contract';
import { makeAttentionProbe } from './make-attention-probe';

/** Builds both calibration graphs of `ckpt` into `outDir` (created) and returns the manifest. */
export async function buildCalibrationGraphs(
  ckpt: Checkpoint,
  outDir: string,
  onProgress?: ProgressCallback,
  options: { checkpointHash?: string; ops?: GraphOps } = {},
): Promise<CalibrationGraphsManifest> {
  const checkpointHash =
    options.checkpointHash ?? (await hashCheckpointFiles(ckpt.files, onProgress));
  const ops = options.ops ?? DEFAULT_GRAPH_OPS;
  await mkdir(outDir, { recursive: true });
  const total = ckpt.spec.numLayers;
  const write = async (
    onnx: string,
    data: string,
    make: (sink: ExternalWeightSink) => Promise<ModelDef>,
  ) => {
    const sink = await ExternalWeightSink.create(join(outDir, data));
    let model: ModelDef;
    try {
      model = await make(sink);
    } finally {
      await sink.close();
    }
    await writeFile(join(outDir, onnx), encodeModel(model));
  };
  await write(CALIBRATION_MODEL_FILE, CALIBRATION_MODEL_DATA, async (sink) =>
    addLayerOutputs(
      await makeModel(ckpt, sink, ops, (done) =>
        onProgress?.({
          phase: 'build',
          done,
          total,
          message: `building calibration graph: layer ${done}/${total}`,
        }),
      ),
      ckpt.spec,
    ),
  );
  onProgress?.({ phase: 'build', done: total, total, message: 'building attention probe graph' });
  await write(ATTENTION_PROBE_FILE, ATTENTION_PROBE_DATA, (sink) =>
    makeAttentionProbe(ckpt, sink, ops),
  );
  const manifest: CalibrationGraphsManifest = {
    version: CALIBRATION_GRAPHS_VERSION,
    builderVersion: GRAPH_BUILDER_VERSION,
    checkpointHash,
    spec: ckpt.spec,
    modelFile: CALIBRATION_MODEL_FILE,
    probeFile: ATTENTION_PROBE_FILE,
  };
  await writeFile(
    join(outDir, CALIBRATION_MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}
