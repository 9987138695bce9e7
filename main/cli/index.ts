/**
 * Entry point: `npm run --silent cli -- <command> ... [--json]`.
 *
 * With --json exactly one JSON object goes to stdout; progress and logs go to stderr. A usage
 * error exits 2, any other failure exits 1 with `{"error":{"code","message"}}`.
 */
import { KvLensError, toErrorInfo } from '../../app/errors';
import { COMMANDS } from './commands/index';
import type { CliIo } from './command';

function usageText(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `Usage: npm run --silent cli -- <command> [options] [--json]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const name = rest[0];
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  const io: CliIo = { log: (m) => process.stderr.write(`${m}\n`), signal: controller.signal };
  try {
    if (name === undefined || name === 'help' || name === '--help') {
      process.stderr.write(usageText());
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new KvLensError(
        'usage',
        `Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`,
      );
    }
    const result = await command.run(rest.slice(1), io);
    process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return 0;
  } catch (err) {
    const info = toErrorInfo(err);
    if (info.code === 'internal' && err instanceof Error && err.stack) io.log(err.stack);
    if (json) process.stdout.write(`${JSON.stringify({ error: info })}\n`);
    else io.log(`error (${info.code}): ${info.message}`);
    return info.code === 'usage' ? 2 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  },
);
