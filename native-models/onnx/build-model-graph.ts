/**
 * Writes model.onnx + model.onnx.data + graph.json for a checkpoint into a folder.
 *
 * Weights stream into the data file layer by layer while the graph is assembled, so peak memory
 * is about one tensor (plus its transposed copy), not the model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphManifest } from '../../app/model/graph-contract';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { DEFAULT_GRAPH_OPS, type GraphOps } from './blocks/block-context';
import { hashCheckpointFiles } from './hash-checkpoint';
import { makeModel } from './make-model';
import { encodeModel } from './proto/onnx-encode';
import { ExternalWeightSink } from './weight-sink';

/** Bump whenever the graph the builder writes changes, so cached graphs are rebuilt. */
export const GRAPH_BUILDER_VERSION = 2;
export const ONNX_FILE = 'model.onnx';
export const DATA_FILE = 'model.onnx.data';
export const MANIFEST_FILE = 'graph.json';

export interface BuildProgress {
  phase: 'hash' | 'build';
  done: number;
  total: number;
  message: string;
}

export type ProgressCallback = (p: BuildProgress) => void;

export interface BuildOptions {
  /** sha256 of the checkpoint files when the caller already has it (else computed here). */
  checkpointHash?: string;
  ops?: GraphOps;
}

/** Builds the graph of `ckpt` into `outDir` (created if needed) and returns its manifest. */
export async function buildModelGraph(
  ckpt: Checkpoint,
  outDir: string,
  onProgress?: ProgressCallback,
  options: BuildOptions = {},
): Promise<GraphManifest> {
  const checkpointHash =
    options.checkpointHash ?? (await hashCheckpointFiles(ckpt.files, onProgress));
  await mkdir(outDir, { recursive: true });
  const sink = await ExternalWeightSink.create(join(outDir, DATA_FILE));
  const total = ckpt.spec.numLayers;
  let model;
  try {
    onProgress?.({ phase: 'build', done: 0, total, message: `building graph: layer 0/${total}` });
    model = await makeModel(ckpt, sink, options.ops ?? DEFAULT_GRAPH_OPS, (done) =>
      onProgress?.({
        phase: 'build',
        done,
        total,
        message: `building graph: layer ${done}/${total}`,
      }),
    );
  } finally {
    await sink.close();
  }
  const manifest: GraphManifest = {
    builderVersion: GRAPH_BUILDER_VERSION,
    checkpointHash,
    spec: ckpt.spec,
    ops: { attention: 'plain', rope: 'plain' },
    onnxFile: ONNX_FILE,
    dataFile: DATA_FILE,
  };
  model.metadata = {
    'kv-lens.builder_version': String(GRAPH_BUILDER_VERSION),
    'kv-lens.checkpoint_sha256': checkpointHash,
    'kv-lens.family': ckpt.spec.family,
  };
  await writeFile(join(outDir, ONNX_FILE), encodeModel(model));
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
