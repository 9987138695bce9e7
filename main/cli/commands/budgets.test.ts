import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetsCommand } from './budgets';

const io = { log: (): void => {}, signal: new AbortController().signal };
const dir = mkdtempSync(join(tmpdir(), 'kv-budgets-'));
function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('budgets command', () => {
  it('reads {avg_score: [...]} and prints the error-aware budgets', async () => {
    // total 256, spare 128: 12.8 -> 13, 25.6 -> 26, 38.4 -> 38, 51.2 -> 51.
    const f = file('a.json', JSON.stringify({ avg_score: [0.1, 0.2, 0.3, 0.4] }));
    const r = await budgetsCommand.run(['--layer-scores', f, '--budget', '64'], io);
    expect(r.json).toEqual({ budgets: [45, 58, 70, 83] });
  });

  it('L1-normalises a plain array and honours --min/--max', async () => {
    // [1, 1, 1, 5] -> e = 1/8, 1/8, 1/8, 5/8; total 256, m = 48, spare 64: 8, 8, 8, 40.
    // M = 80 clips 88 to 80: short by 8, passes by decreasing e: L3 at M, L0 L1 L2 +1 ... => +3, +3, +2.
    const f = file('b.json', '[1, 1, 1, 5]');
    const r = await budgetsCommand.run(
      ['--layer-scores', f, '--budget', '64', '--min', '48', '--max', '80'],
      io,
    );
    expect(r.json).toEqual({ budgets: [59, 59, 58, 80] });
  });

  it('rejects a --layers that does not match the file, and unreadable files', async () => {
    const f = file('c.json', '[1, 1, 1]');
    await expect(
      budgetsCommand.run(['--layer-scores', f, '--budget', '64', '--layers', '4'], io),
    ).rejects.toThrow(/--layers 4 does not match.*3 layers/);
    await expect(
      budgetsCommand.run(['--layer-scores', f, '--budget', '64', '--layers', '3'], io),
    ).resolves.toBeDefined();
    await expect(
      budgetsCommand.run(['--layer-scores', join(dir, 'none.json'), '--budget', '64'], io),
    ).rejects.toThrow(/Cannot read/);
    const bad = file('d.json', '{');
    await expect(budgetsCommand.run(['--layer-scores', bad, '--budget', '64'], io)).rejects.toThrow(
      /not valid JSON/,
    );
  });
});
