/**
 * Expected failures with a code scripts can branch on and a message a person can act on.
 *
 * Bugs are not KvLensErrors: they throw plain Errors and are reported as `internal`.
 */
export type ErrorCode =
  | 'usage'
  | 'not-found'
  | 'unsupported'
  | 'invalid-checkpoint'
  | 'invalid-argument'
  | 'encrypted'
  | 'no-text'
  | 'corrupt'
  | 'too-large'
  | 'context-overflow'
  | 'cancelled'
  | 'provider'
  | 'out-of-memory'
  | 'internal';

export class KvLensError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KvLensError';
    this.code = code;
    this.details = details;
  }
}

/** The error a cancelled operation throws (AbortSignal fired). */
export class CancelledError extends KvLensError {
  constructor(what = 'The operation') {
    super('cancelled', `${what} was cancelled.`);
    this.name = 'CancelledError';
  }
}

/** Plain-data form of any thrown value, safe to send over IPC or print as JSON. */
export function toErrorInfo(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof KvLensError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
