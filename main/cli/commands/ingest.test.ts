import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedPdf, simplePdf } from '../../documents/testing/corpus';
import { cliJson, runCli } from '../testing/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-cli-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The exact form scripts use: a separate process, one JSON object on stdout, exit code.
async function cli(
  ...args: string[]
): Promise<{ status: number | null; json: Record<string, unknown> }> {
  const run = await runCli(['ingest', ...args, '--json'], { timeoutMs: 60_000 });
  return { status: run.code, json: cliJson(run) };
}

describe('ingest command', () => {
  beforeAll(async () => {
    writeFileSync(join(dir, 'simple.pdf'), await simplePdf());
    writeFileSync(join(dir, 'locked.pdf'), await encryptedPdf('pw'));
    writeFileSync(join(dir, 'empty.pdf'), new Uint8Array(0));
  });

  it('prints pages, chars, text, page texts and warnings', async () => {
    const { status, json } = await cli(join(dir, 'simple.pdf'));
    expect(status).toBe(0);
    expect(Object.keys(json)).toEqual(['pages', 'chars', 'text', 'pageTexts', 'warnings']);
    expect(json.pages).toBe(2);
    const text = json.text as string;
    expect(json.chars).toBe(text.length);
    expect(json.pageTexts).toEqual([
      expect.stringMatching(/^First paragraph/),
      'Page two says hello.',
    ]);
    expect(text.endsWith('\n\nPage two says hello.')).toBe(true);
    expect(json.warnings).toEqual([]);
  });

  it('exits 1 with the error code for an encrypted PDF, and reads it with --password', async () => {
    const locked = await cli(join(dir, 'locked.pdf'));
    expect(locked.status).toBe(1);
    expect(locked.json).toEqual({
      error: {
        code: 'encrypted',
        message: expect.stringContaining('password-protected') as string,
      },
    });
    const opened = await cli(join(dir, 'locked.pdf'), '--password', 'pw');
    expect(opened.status).toBe(0);
    expect(opened.json.text).toBe('Confidential text behind a password.');
  });

  it('exits 1 with corrupt for an empty file and 2 for a usage error', async () => {
    const empty = await cli(join(dir, 'empty.pdf'));
    expect(empty.status).toBe(1);
    expect((empty.json.error as { code: string }).code).toBe('corrupt');
    const usage = await cli(join(dir, 'simple.pdf'), '--pages', '3');
    expect(usage.status).toBe(2);
    expect((usage.json.error as { code: string; message: string }).message).toMatch(
      /Unknown flag --pages/,
    );
  });
});
