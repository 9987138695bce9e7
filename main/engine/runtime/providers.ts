/**
 * Execution providers: which ones exist, the order `auto` tries them in, and session creation
 * that falls back to CPU with a reason instead of failing.
 */
import * as ort from 'onnxruntime-node';
import { KvLensError } from '../../../app/errors';

export const PROVIDER_CHOICES = ['cpu', 'auto', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];
export type ProviderName = Exclude<ProviderChoice, 'auto'>;

/** Which provider a session actually runs on, what was asked for, and why they differ. */
export interface ProviderReport {
  provider: ProviderName;
  requested: ProviderChoice;
  /** Set when `provider` is not what was requested (or, for auto, when a GPU was skipped). */
  fallbackReason?: string;
  /** Every provider tried before the one that started, with why it did not. */
  attempts?: { provider: ProviderName; error: string }[];
}

export interface SessionSettings {
  provider?: ProviderChoice;
  /** Threads inside one op; 0 or absent lets ORT pick (all physical cores). */
  intraOpNumThreads?: number;
}

/** GPU providers `auto` tries on a platform, best first; CPU always comes last. */
export function autoOrder(platform: NodeJS.Platform = process.platform): ProviderName[] {
  if (platform === 'win32') return ['cuda', 'dml', 'webgpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu'];
  return ['cuda', 'webgpu'];
}

/** Names onnxruntime-node's binding knows; a provider missing here cannot start. */
export function supportedBackends(): string[] {
  return ort.listSupportedBackends().map((b) => b.name);
}

/**
 * Session options for the LLM graphs.
 *
 * Shapes change on every call (the cache grows by one per decoded token, chunks vary), so ORT's
 * memory pattern planner cannot reuse a plan, and the CPU arena would keep its high-water mark
 * of many differently-sized blocks forever; both are off so big buffers go back to the system.
 */
export function sessionOptions(
  provider: ProviderName,
  settings: SessionSettings,
): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider === 'cpu' ? 'cpu' : provider],
    graphOptimizationLevel: 'all',
    enableCpuMemArena: false,
    enableMemPattern: false,
    executionMode: 'sequential',
    // A GPU provider that cannot start is reported in ProviderReport; ORT's own error log of
    // the same failure would only repeat it on stderr.
    logSeverityLevel: provider === 'cpu' ? 2 : 4,
  };
  if (settings.intraOpNumThreads && settings.intraOpNumThreads > 0) {
    options.intraOpNumThreads = settings.intraOpNumThreads;
  }
  return options;
}

/**
 * Creates an InferenceSession on the requested provider, falling back to CPU with a reason.
 *
 * A provider counts as unable to start when the binding does not list it or when session
 * creation throws (no driver, no adapter, missing libraries). A CPU failure is a real error.
 */
export async function createSession(
  onnxPath: string,
  settings: SessionSettings = {},
): Promise<{ session: ort.InferenceSession; report: ProviderReport }> {
  const requested = settings.provider ?? 'cpu';
  if (!(PROVIDER_CHOICES as readonly string[]).includes(requested)) {
    throw new KvLensError(
      'invalid-argument',
      `Unknown execution provider "${requested}". Allowed: ${PROVIDER_CHOICES.join(', ')}.`,
    );
  }
  const candidates: ProviderName[] = requested === 'auto' ? autoOrder() : [requested];
  if (candidates.some((p) => p !== 'cpu')) quietEnvironmentLog();
  const supported = supportedBackends();
  const attempts: { provider: ProviderName; error: string }[] = [];
  for (const provider of candidates) {
    if (provider === 'cpu') break;
    if (!supported.includes(provider)) {
      attempts.push({
        provider,
        error: `not available in this onnxruntime-node build (available: ${supported.join(', ')})`,
      });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(
        onnxPath,
        sessionOptions(provider, settings),
      );
      const report: ProviderReport = { provider, requested };
      if (attempts.length > 0) report.attempts = attempts;
      return { session, report };
    } catch (err) {
      attempts.push({ provider, error: firstLine(err) });
    }
  }
  const session = await createCpuSession(onnxPath, settings);
  const report: ProviderReport = { provider: 'cpu', requested };
  if (attempts.length > 0) {
    report.attempts = attempts;
    report.fallbackReason = attempts.map((a) => `${a.provider}: ${a.error}`).join('; ');
  }
  return { session, report };
}

/**
 * ORT's environment logger prints a GPU provider that cannot load in red on stderr ("[E:onnxruntime
 * ... Failed to load library libonnxruntime_providers_shared.so"), on every machine without that
 * GPU's libraries, although createSession catches the same failure and reports it (attempts,
 * fallbackReason). ORT reads the level once, when the first session creates its environment, so
 * it is set before a GPU attempt; each session keeps its own level (sessionOptions).
 */
function quietEnvironmentLog(): void {
  ort.env.logLevel = 'fatal';
}

async function createCpuSession(onnxPath: string, settings: SessionSettings) {
  try {
    return await ort.InferenceSession.create(onnxPath, sessionOptions('cpu', settings));
  } catch (err) {
    throw new KvLensError(
      'provider',
      `ONNX Runtime could not load ${onnxPath} on the CPU provider: ${firstLine(err)}`,
    );
  }
}

/** The part of an ORT error a user can act on, without its C++ source location. */
export function firstLine(err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  const check = / was false\. (.+)$/.exec(msg);
  const status = /\] : \d+ : \w+ : (.+)$/.exec(msg);
  return (check?.[1] ?? status?.[1] ?? msg).slice(0, 300);
}
