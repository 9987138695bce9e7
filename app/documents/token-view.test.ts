import { describe, it, expect } from 'vitest';
import { KvLensError } from '../errors';
import { createDocument } from './document';
import { createTokenView, pagesForTokenSpans, tokensPerPage } from './token-view';

const doc = createDocument(
  'book.pdf',
  'pdf',
  ['One two', 'three', 'four five'].map((text) => ({
    text,
    boxes: null,
    width: 0,
    height: 0,
    rotation: 0,
  })),
);

// Whitespace-split spans, found independently of the page bookkeeping under test.
function wordSpans(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  return { starts, ends };
}

describe('token view', () => {
  it('maps each token to the page holding its first character', () => {
    const { starts, ends } = wordSpans(doc.text);
    const view = createTokenView(doc, starts, ends);
    expect(Array.from(view.pages)).toEqual([0, 0, 1, 2, 2]);
    const words = Array.from(view.starts, (s, i) => doc.text.slice(s, view.ends[i]));
    expect(words).toEqual(['One', 'two', 'three', 'four', 'five']);
    expect(Array.from(tokensPerPage(view, 3))).toEqual([2, 1, 2]);
  });

  it('gives a token crossing a page break the page it starts on, and -1 to non-text tokens', () => {
    const crossing = doc.text.indexOf('two');
    const pages = pagesForTokenSpans(
      doc.pageStarts,
      doc.text.length,
      [crossing, -1],
      [crossing + 8, -1],
    );
    expect(Array.from(pages)).toEqual([0, -1]);
  });

  it('rejects spans outside the text or mismatched arrays with the numbers', () => {
    expect(() => pagesForTokenSpans(doc.pageStarts, 10, [0], [11])).toThrow(/\[0, 11\).*\[0, 10\)/);
    expect(() => pagesForTokenSpans(doc.pageStarts, 10, [0, 1], [1])).toThrow(KvLensError);
  });
});
