/**
 * Options for reading a document: limits, password, progress and cancellation.
 */

export interface IngestLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Most pages accepted (PDF). */
  maxPages: number;
}

/** Generous defaults: a 2,000-page book fits; a file that would exhaust memory does not. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxPages: 5000,
};

export interface IngestProgress {
  /** Pages done so far (1-based page just finished). */
  page: number;
  /** Total pages. */
  pages: number;
}

export interface IngestOptions {
  /** Password for an encrypted PDF. */
  password?: string;
  limits?: Partial<IngestLimits>;
  /** Called after each page: page i of n. */
  onProgress?: (progress: IngestProgress) => void;
  /** Aborting stops between pages with a CancelledError. */
  signal?: AbortSignal;
}

/** Limits with the defaults filled in. */
export function resolveLimits(limits: Partial<IngestLimits> | undefined): IngestLimits {
  return { ...DEFAULT_INGEST_LIMITS, ...limits };
}

/** "1.5 MB" style size for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
