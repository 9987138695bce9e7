/**
 * The KV compression methods the app offers (compresskv.md, "CompressKV" and "Baselines").
 *
 * The ids are part of the CLI (`--method`) and of the IPC contract, so they never change.
 */
export const KV_METHODS = [
  'full',
  'streamingllm',
  'h2o',
  'snapkv',
  'pyramidkv',
  'compresskv',
  'srh-only',
  'snapkv-layer-budgets',
] as const;

export type KvMethod = (typeof KV_METHODS)[number];

/** Short names for menus and legends. */
export const KV_METHOD_LABELS: Readonly<Record<KvMethod, string>> = {
  full: 'Full KV',
  streamingllm: 'StreamingLLM',
  h2o: 'H2O',
  snapkv: 'SnapKV',
  pyramidkv: 'PyramidKV',
  compresskv: 'CompressKV',
  'srh-only': 'SRH only (ablation)',
  'snapkv-layer-budgets': 'SnapKV + error-aware budgets (ablation)',
};

/** True when `value` is one of KV_METHODS (for validating CLI flags and IPC arguments). */
export function isKvMethod(value: unknown): value is KvMethod {
  return typeof value === 'string' && (KV_METHODS as readonly string[]).includes(value);
}
