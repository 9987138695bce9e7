/**
 * The default progress reporter of graph builds: short lines on stderr, so stdout stays free for
 * the CLI's single JSON object.
 */
import type { BuildProgress, ProgressCallback } from './build-model-graph';

/** Returns a callback printing "building graph: layer 3/24" lines and hashing every 10%. */
export function stderrProgressPrinter(
  write: (line: string) => void = (l) => process.stderr.write(l),
): ProgressCallback {
  let lastHashDecile = -1;
  return (p: BuildProgress) => {
    if (p.phase === 'hash') {
      const decile = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 10;
      if (decile === lastHashDecile) return;
      lastHashDecile = decile;
      write(`hashing checkpoint: ${decile * 10}%\n`);
      return;
    }
    write(`${p.message}\n`);
  };
}
