/** One CLI command: a name, a one-line summary for `help`, and a run function. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Returns the JSON result object (printed with --json) and a human summary line. */
  run(argv: readonly string[], io: CliIo): Promise<CliResult>;
}

export interface CliResult {
  json: unknown;
  text: string;
}

export interface CliIo {
  /** Progress and logs: always stderr, never stdout. */
  log(message: string): void;
  /** Fires on SIGINT so long commands can stop cleanly. */
  signal: AbortSignal;
}
