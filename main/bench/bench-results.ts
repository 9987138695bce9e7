/**
 * Where benchmark figures go: one JSON file per benchmark under bench-results/, with the machine
 * they were measured on (figures from different machines are not comparable).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const BENCH_RESULTS_DIR = 'bench-results';

/** The machine a report was measured on: core count, CPU model, Node version. */
export function machineInfo(): { cpus: number; cpuModel: string; node: string } {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
}

/** Writes `report` as pretty JSON to bench-results/`file` (creating the folder); returns the path. */
export function writeBenchResult(file: string, report: unknown): string {
  const out = join(BENCH_RESULTS_DIR, file);
  mkdirSync(BENCH_RESULTS_DIR, { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  return out;
}
