import { describe, expect, it } from 'vitest';
import type { PageInput } from '../../../app/documents/document';
import { removeRunningLines } from './running-lines';

// Each character's box records its index in the page text, so a test can tell which survived.
// Characters of the first line are `firstHeight` tall, the rest 1.
const page = (text: string, firstHeight = 1): PageInput => {
  const boxes = new Float32Array(text.length * 4);
  const firstEnd = text.indexOf('\n');
  for (let i = 0; i < text.length; i++) {
    boxes.set([i, 0, 1, i < firstEnd ? firstHeight : 1], i * 4);
  }
  return { text, boxes, width: 600, height: 800, rotation: 0 };
};
const footer = (n: number, of = 5) => `Annual Report 2024 - Page ${n} of ${of}`;
/** Body text that differs from page to page in its words, not only its digits. */
const body = (n: number) =>
  `The ${['first', 'second', 'third', 'fourth', 'fifth', 'sixth'][n - 1]} page.`;
const texts = (pages: PageInput[]) => pages.map((p) => p.text);

describe('removeRunningLines', () => {
  it('removes a footer whose page number changes, with the break before it', () => {
    const pages = [1, 2, 3, 4, 5].map((n) => page(`${body(n)}\n\n${footer(n)}`));
    const { pages: out, removed } = removeRunningLines(pages);
    expect(texts(out)).toEqual([1, 2, 3, 4, 5].map(body));
    expect(removed).toEqual([{ example: footer(1), pages: [1, 2, 3, 4, 5] }]);
  });

  it('removes a header and a lone page number at the top, with the break after them', () => {
    const pages = [1, 2, 3, 4].map((n) => page(`Chapter Two\n${n}\n${body(n)}`));
    const { pages: out, removed } = removeRunningLines(pages);
    expect(texts(out)).toEqual([1, 2, 3, 4].map(body));
    expect(removed.map((r) => r.example)).toEqual(['Chapter Two', '1']);
  });

  it('keeps each remaining character with its own box', () => {
    const { pages: out } = removeRunningLines(
      [1, 2, 3].map((n) => page(`${footer(n)}\n${body(n)}`)),
    );
    const first = out[0]!;
    const from = `${footer(1)}\n`.length;
    expect(first.text).toBe(body(1));
    expect(first.boxes!.length).toBe(first.text.length * 4);
    expect(Array.from({ length: first.text.length }, (_, i) => first.boxes![i * 4])).toEqual(
      Array.from({ length: body(1).length }, (_, i) => from + i),
    );
  });

  it('leaves lines that repeat on too few pages, or away from the edges, alone', () => {
    // On 2 of 6 pages: under the 40% share.
    const rare = [1, 2, 3, 4, 5, 6].map((n) =>
      page(n <= 2 ? `${body(n)}\n\nDraft copy` : `${body(n)}\n\nEnd ${'abcdef'[n - 1]}`),
    );
    expect(removeRunningLines(rare).removed).toEqual([]);
    // The same sentence in the middle of every page is content.
    const middle = [1, 2, 3, 4].map((n) =>
      page(
        `Top ${'abcd'[n - 1]}\nSecond ${'abcd'[n - 1]}\nSee the table below.\nThird ${'abcd'[n - 1]}\nLast ${'abcd'[n - 1]}`,
      ),
    );
    expect(removeRunningLines(middle).removed).toEqual([]);
    // Two pages are too few to call anything a running header.
    expect(
      removeRunningLines([page(`${body(1)}\n${footer(1)}`), page(`${body(2)}\n${footer(2)}`)])
        .removed,
    ).toEqual([]);
  });

  it('keeps a numbered heading set larger than the text, and the line under it', () => {
    // "Chapter n" / "Page n marker." on every page: a heading and body text, not furniture.
    const pages = [1, 2, 3, 4].map((n) => page(`Chapter ${n}\nPage ${n} marker.\n${body(n)}`, 1.4));
    expect(removeRunningLines(pages).removed).toEqual([]);
    // The same heading at body size is a running header; then the line under it is a candidate.
    const small = [1, 2, 3, 4].map((n) => page(`Chapter ${n}\nPage ${n} marker.\n${body(n)}`));
    expect(texts(removeRunningLines(small).pages)).toEqual([1, 2, 3, 4].map(body));
  });

  it('keeps templated lines whose numbers do not follow the pages', () => {
    // A log or a table: the same words on every page, numbers that are data.
    const pages = [1, 2, 3, 4].map((n) =>
      page(`${body(n)}\nStation ${n * 6 + 5} recorded ${120 + n * 7} cm.`),
    );
    expect(removeRunningLines(pages).removed).toEqual([]);
    // Page numbers counted from 11 (a chapter printed on its own) still follow the pages.
    const offset = [1, 2, 3].map((n) => page(`${body(n)}\n- ${n + 10} -`));
    expect(texts(removeRunningLines(offset).pages)).toEqual([1, 2, 3].map(body));
  });

  it('tells a top line from a bottom line with the same words', () => {
    const pages = [1, 2, 3, 4].map((n) =>
      n % 2
        ? page(`Notes\nBody ${'abcd'[n - 1]}.\nMore.`)
        : page(`Body ${'abcd'[n - 1]}.\nMore.\nNotes`),
    );
    // "Notes" is at the top of 2 pages and the bottom of 2: 2 < 3 pages at either edge.
    expect(removeRunningLines(pages).removed).toEqual([]);
  });

  it('copes with empty pages and pages without boxes', () => {
    const pages = [
      page(''),
      ...[1, 2, 3].map((n) => ({ ...page(`${body(n)}\n${footer(n)}`), boxes: null })),
    ];
    const { pages: out } = removeRunningLines(pages);
    expect(texts(out)).toEqual(['', body(1), body(2), body(3)]);
    expect(out[1]!.boxes).toBeNull();
  });
});
