/**
 * Runs the CLI the way scripts do (a separate process, stdout = one JSON object, exit code) for
 * the command tests.
 */
import { spawn } from 'node:child_process';

/** What one CLI process left behind. */
export interface CliRun {
  /** Exit code; null when the process was killed (for example by `timeoutMs`). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Sets KV_LENS_CACHE_DIR so graphs built by the run land in the test's own folder. */
  cacheDir?: string;
  /** Kills the process after this long (the run then has code null). */
  timeoutMs?: number;
}

/** `npx tsx main/cli/index.ts ...args` in a child process; resolves when it exits. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const env = { ...process.env };
  if (options.cacheDir !== undefined) env.KV_LENS_CACHE_DIR = options.cacheDir;
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'main/cli/index.ts', ...args], {
      env,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The one JSON object a run printed on stdout.
 *
 * Throws (failing the test, with both streams in the message) when stdout is not exactly one line:
 * anything else printed there would break scripts that parse it.
 */
export function cliJson<T = Record<string, unknown>>(run: CliRun): T {
  const lines = run.stdout.trim().split('\n');
  if (lines.length !== 1) {
    throw new Error(
      `Expected one line of JSON on stdout, got ${lines.length}.\n` +
        `stdout: ${run.stdout}\nstderr: ${run.stderr}`,
    );
  }
  return JSON.parse(lines[0]!) as T;
}
