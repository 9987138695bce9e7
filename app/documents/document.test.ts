import { describe, it, expect } from 'vitest';
import { PAGE_SEPARATOR, createDocument, pageIndexAt, pageSeparator } from './document';

const page = (text: string, boxes: Float32Array | null = null) => ({
  text,
  boxes,
  width: 100,
  height: 200,
  rotation: 0,
});

describe('createDocument', () => {
  it('joins pages with the separator and records where each page starts', () => {
    const doc = createDocument('a.pdf', 'pdf', [page('abc'), page(''), page('de')]);
    expect(doc.text).toBe(`abc${PAGE_SEPARATOR}${PAGE_SEPARATOR}de`);
    expect(Array.from(doc.pageStarts)).toEqual([0, 5, 7]);
    doc.pages.forEach((p) => expect(doc.text.slice(p.start, p.start + p.text.length)).toBe(p.text));
    expect(doc.pages.map((p) => p.number)).toEqual([1, 2, 3]);
  });

  it('joins a sentence that runs on over a page break with a space, not a paragraph break', () => {
    const doc = createDocument('a.pdf', 'pdf', [
      page('The report on the'),
      page('lake was read, and'),
      page('then filed.'),
      page('Next page.'),
      page('1. Item,'),
      page('Capital'),
    ]);
    expect(doc.text).toBe(
      `The report on the lake was read, and then filed.${PAGE_SEPARATOR}Next page.` +
        `${PAGE_SEPARATOR}1. Item,${PAGE_SEPARATOR}Capital`,
    );
    doc.pages.forEach((p) => expect(doc.text.slice(p.start, p.start + p.text.length)).toBe(p.text));
    expect(pageSeparator('ends in é', 'ça continue')).toBe(' ');
  });

  it('rejects boxes that do not have four values per character', () => {
    expect(() => createDocument('a.pdf', 'pdf', [page('abc', new Float32Array(8))])).toThrow(
      /Page 1 of a.pdf: 8 box values for 3 characters/,
    );
  });
});

describe('pageIndexAt', () => {
  const starts = Int32Array.from([0, 5, 7]);
  it('finds the page of an offset, counting separators with the page before', () => {
    expect([0, 2, 3, 4, 5, 6, 7, 100].map((o) => pageIndexAt(starts, o))).toEqual([
      0, 0, 0, 0, 1, 1, 2, 2,
    ]);
  });
  it('returns -1 without pages or for negative offsets', () => {
    expect(pageIndexAt(new Int32Array(0), 3)).toBe(-1);
    expect(pageIndexAt(starts, -1)).toBe(-1);
  });
});
