/**
 * Opens a Hugging Face model folder for generation: builds (or loads the cached) ONNX graph,
 * starts a session on the requested provider, and loads the tokenizer and generation defaults.
 */
import type { GraphManifest } from '../../app/model/graph-contract';
import type { ModelSpec } from '../../app/model/model-spec';
import { readGenerationDefaults, type GenerationDefaults } from './generation/generation-config';
import type { ModelSession } from './runtime/model-session';
import { openModelSession, type OpenModelOptions } from './runtime/open-model-session';
import type { ProviderReport } from './runtime/providers';
import { ModelTokenizer } from './tokenizer/model-tokenizer';

export type LoadModelOptions = OpenModelOptions;

export interface LoadedModel {
  dir: string;
  spec: ModelSpec;
  manifest: GraphManifest;
  onnxPath: string;
  tokenizer: ModelTokenizer;
  session: ModelSession;
  provider: ProviderReport;
  /** Sampling defaults from generation_config.json (eos ids: tokenizer.eosTokenIds). */
  generation: GenerationDefaults;
  /** Releases the session (the tokenizer holds no native resources). */
  dispose(): Promise<void>;
}

/** Loads everything needed to generate from `modelDir`; the graph is built on first use. */
export async function loadModel(
  modelDir: string,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  // Tokenizer first: a broken tokenizer.json should fail before minutes of graph building.
  const tokenizer = ModelTokenizer.load(modelDir);
  const generation = readGenerationDefaults(modelDir);
  const { manifest, onnxPath, session } = await openModelSession(modelDir, options);
  return {
    dir: modelDir,
    spec: manifest.spec,
    manifest,
    onnxPath,
    tokenizer,
    session,
    provider: session.report,
    generation,
    dispose: () => session.dispose(),
  };
}
