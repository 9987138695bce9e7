/**
 * `npm run bench -- <name> [options]`: runs one benchmark; figures go to stderr and
 * bench-results/<name>.json. Benchmarks report figures, they do not pass or fail.
 */
import { toErrorInfo } from '../../app/errors';
import { benchDocuments } from './documents';
import { runEngineBench } from './engine';
import { runKvBench } from './kv';
import { runSamplesBench } from './samples';

/** Every benchmark by name. Add new ones here (one module per benchmark in this folder). */
const BENCHES: Record<string, (argv: readonly string[]) => Promise<unknown>> = {
  documents: () => benchDocuments(),
  engine: runEngineBench,
  kv: runKvBench,
  samples: runSamplesBench,
};

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  const run = name === undefined ? undefined : BENCHES[name];
  if (!run) {
    process.stderr.write(
      `Usage: npm run bench -- <name> [options]\nBenchmarks: ${Object.keys(BENCHES).join(', ')}\n`,
    );
    return 2;
  }
  try {
    await run(argv.slice(1));
    return 0;
  } catch (err) {
    const info = toErrorInfo(err);
    process.stderr.write(`error (${info.code}): ${info.message}\n`);
    if (info.code === 'internal' && err instanceof Error && err.stack) {
      process.stderr.write(`${err.stack}\n`);
    }
    return info.code === 'usage' ? 2 : 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
