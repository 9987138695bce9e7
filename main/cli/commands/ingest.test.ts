import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedPdf, simplePdf } from '../../documents/testing/corpus';

const dir = mkdtempSync(join(tmpdir(), 'kv-lens-cli-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The exact form scripts use: a separate process, one JSON object on stdout, exit code.
function cli(...args: string[]): { status: number | null; json: Record<string, unknown> } {
  const r = spawnSync('npx', ['tsx', 'main/cli/index.ts', 'ingest', ...args, '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout.trim().split('\n');
  expect(lines.length, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(1);
  return { status: r.status, json: JSON.parse(lines[0]!) as Record<string, unknown> };
}

describe('ingest command', () => {
  beforeAll(async () => {
    writeFileSync(join(dir, 'simple.pdf'), await simplePdf());
    writeFileSync(join(dir, 'locked.pdf'), await encryptedPdf('pw'));
    writeFileSync(join(dir, 'empty.pdf'), new Uint8Array(0));
  });

  it('prints pages, chars, text, page texts and warnings', () => {
    const { status, json } = cli(join(dir, 'simple.pdf'));
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

  it('exits 1 with the error code for an encrypted PDF, and reads it with --password', () => {
    const locked = cli(join(dir, 'locked.pdf'));
    expect(locked.status).toBe(1);
    expect(locked.json).toEqual({
      error: {
        code: 'encrypted',
        message: expect.stringContaining('password-protected') as string,
      },
    });
    const opened = cli(join(dir, 'locked.pdf'), '--password', 'pw');
    expect(opened.status).toBe(0);
    expect(opened.json.text).toBe('Confidential text behind a password.');
  });

  it('exits 1 with corrupt for an empty file and 2 for a usage error', () => {
    const empty = cli(join(dir, 'empty.pdf'));
    expect(empty.status).toBe(1);
    expect((empty.json.error as { code: string }).code).toBe('corrupt');
    const usage = cli(join(dir, 'simple.pdf'), '--pages', '3');
    expect(usage.status).toBe(2);
    expect((usage.json.error as { code: string; message: string }).message).toMatch(
      /Unknown flag --pages/,
    );
  });
});
