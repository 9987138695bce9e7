/**
 * Graph + session for a Hugging Face model folder, without the tokenizer: what token-level
 * commands (`logits`) and benchmarks need. The graph is built on first use and cached.
 */
import type { GraphManifest } from '../../../app/model/graph-contract';
import type { ProgressCallback } from '../../../native-models/onnx/build-model-graph';
import { buildOrLoadGraph } from '../../../native-models/onnx/graph-cache';
import { ModelSession } from './model-session';
import type { ProviderChoice } from './providers';

export interface OpenModelOptions {
  provider?: ProviderChoice;
  /** Graph cache root (default $KV_LENS_CACHE_DIR or ~/.cache/kv-lens). */
  cacheDir?: string;
  /** Graph build progress (hashing, layers); default lines on stderr. */
  onProgress?: ProgressCallback;
  intraOpNumThreads?: number;
}

export interface OpenedModel {
  manifest: GraphManifest;
  onnxPath: string;
  session: ModelSession;
}

/** Builds or loads the graph of `modelDir` and opens a session on the requested provider. */
export async function openModelSession(
  modelDir: string,
  options: OpenModelOptions = {},
): Promise<OpenedModel> {
  const graph = await buildOrLoadGraph(modelDir, {
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const session = await ModelSession.open(graph.onnxPath, graph.manifest.spec, {
    provider: options.provider ?? 'cpu',
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
  });
  return { manifest: graph.manifest, onnxPath: graph.onnxPath, session };
}
