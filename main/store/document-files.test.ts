import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KvLensError } from '../../app/errors';
import { DocumentFiles, safeExtension } from './document-files';
import { useTempDirs } from './testing/temp-dirs';

const tempDir = useTempDirs();

describe('DocumentFiles', () => {
  it('stores bytes under documents/<sha256>.<ext> and reads them back after a restart', () => {
    const dataDir = tempDir();
    const bytes = new TextEncoder().encode('%PDF-1.4 tiny document');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const stored = new DocumentFiles(dataDir).put(bytes, 'Report Q3.PDF');
    expect(stored).toEqual({
      sha256: sha,
      path: join(dataDir, 'documents', `${sha}.pdf`),
      bytes: bytes.length,
    });
    expect(readFileSync(stored.path).equals(Buffer.from(bytes))).toBe(true);

    const later = new DocumentFiles(dataDir);
    expect(later.has(sha, 'whatever.pdf')).toBe(true);
    expect(Buffer.from(later.read(sha, 'x.pdf')).toString()).toBe('%PDF-1.4 tiny document');
    // No temporary files are left behind.
    expect(readdirSync(later.dir)).toEqual([`${sha}.pdf`]);
  });

  it('stores identical content once', () => {
    const files = new DocumentFiles(tempDir());
    const a = files.put(new Uint8Array([1, 2, 3]), 'a.txt');
    const b = files.put(new Uint8Array([1, 2, 3]), 'b.txt');
    expect(b.path).toBe(a.path);
    expect(readdirSync(files.dir)).toHaveLength(1);
    files.remove(a.sha256, 'a.txt');
    expect(existsSync(a.path)).toBe(false);
  });

  it('says what to do when a copy is missing, and never lets a name pick the folder', () => {
    const files = new DocumentFiles(tempDir());
    const missing = 'd'.repeat(64);
    expect(() => files.read(missing, 'a.pdf')).toThrow(KvLensError);
    expect(() => files.read(missing, 'a.pdf')).toThrow(/upload the document again/);
    expect(() => files.pathOf('../../etc/passwd', 'a.pdf')).toThrow(/SHA-256/);
    expect(safeExtension('notes.MD')).toBe('md');
    expect(safeExtension('archive.tar.gz')).toBe('gz');
    expect(safeExtension('evil./../x')).toBe('bin');
    expect(safeExtension('no-extension')).toBe('bin');
  });
});
