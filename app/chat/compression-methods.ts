/**
 * The compression methods the app offers, in the order the "Compression method" select lists
 * them. Ids match the engine's policy names (and the CLI's `--method` values).
 */
import type { KvMethod } from '../kv/methods';

// The two ablations stay CLI-only: the app offers the methods a reader would compare.
export type CompressionMethod = Exclude<KvMethod, 'srh-only' | 'snapkv-layer-budgets'>;

export interface CompressionMethodInfo {
  id: CompressionMethod;
  label: string;
  /** One line for the method's tooltip. */
  summary: string;
}

export const COMPRESSION_METHODS: readonly CompressionMethodInfo[] = [
  {
    id: 'compresskv',
    label: 'CompressKV',
    summary: 'Semantic retrieval heads pick tokens; layer budgets follow each layer’s error.',
  },
  {
    id: 'snapkv',
    label: 'SnapKV',
    summary: 'Window attention of all heads, same budget per layer.',
  },
  {
    id: 'pyramidkv',
    label: 'PyramidKV',
    summary: 'SnapKV scores with budgets shrinking by depth.',
  },
  {
    id: 'h2o',
    label: 'H2O',
    summary: 'Heavy hitters by accumulated attention plus recent tokens.',
  },
  {
    id: 'streamingllm',
    label: 'StreamingLLM',
    summary: 'Attention sinks plus the most recent tokens.',
  },
  { id: 'full', label: 'Full cache', summary: 'No compression: every token in every layer.' },
];

export const DEFAULT_METHOD: CompressionMethod = 'compresskv';
/** The budget a fresh install starts with (the slider's first position, the stored default). */
export const DEFAULT_BUDGET = 256;

/** Smallest budget the slider offers (tokens per layer); the spec's per-layer minimum. */
export const MIN_BUDGET = 32;

/** Whether a string names a compression method the app offers. */
export function isCompressionMethod(value: unknown): value is CompressionMethod {
  return typeof value === 'string' && COMPRESSION_METHODS.some((m) => m.id === value);
}
