import { describe, it, expect } from 'vitest';
import { CancelledError, KvLensError } from '../../app/errors';
import { extractText } from './text-extract';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('extractText', () => {
  it('normalises line endings, drops a BOM and splits pages at form feeds', () => {
    const doc = extractText(utf8('\uFEFFone\r\ntwo\fthree\rfour'), 'a.txt', 'text');
    expect(doc.pages.map((p) => p.text)).toEqual(['one\ntwo', 'three\nfour']);
    expect(doc.text.slice(doc.pages[1]!.start)).toBe('three\nfour');
    expect(doc.pages[0]!.boxes).toBeNull();
    expect(doc.warnings).toEqual([]);
  });

  it('keeps Markdown as written, with non-Latin scripts intact', () => {
    const md = '# Заголовок\n\n- 中文 item\n- عربي\n';
    const doc = extractText(utf8(md), 'a.md', 'markdown');
    expect(doc.kind).toBe('markdown');
    expect(doc.text).toBe(md);
  });

  it('falls back to Windows-1252 with a warning for invalid UTF-8', () => {
    const doc = extractText(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), 'old.txt', 'text');
    expect(doc.text).toBe('café');
    expect(doc.warnings.map((w) => w.code)).toEqual(['encoding']);
  });

  it('reports whitespace-only files as no-text and honours cancellation', () => {
    expect(() => extractText(utf8(' \n\t'), 'w.txt', 'text')).toThrow(
      expect.objectContaining({ code: 'no-text' }) as KvLensError,
    );
    const ac = new AbortController();
    ac.abort();
    expect(() => extractText(utf8('x'), 'a.txt', 'text', { signal: ac.signal })).toThrow(
      CancelledError,
    );
  });
});
