import { describe, it, expect } from 'vitest';
import { COLUMN_SEPARATOR, PageTextBuilder } from './page-text-builder';

// Feeds `lines` into a builder, one box per code point at (x = index, y = line).
function build(
  lines: string[],
  breaks: ('wrap' | 'line' | 'paragraph')[] = [],
): ReturnType<PageTextBuilder['finish']> & { b: PageTextBuilder } {
  const b = new PageTextBuilder();
  lines.forEach((line, li) => {
    if (li > 0) b.newLine(breaks[li - 1] ?? 'line', line);
    [...line].forEach((ch, i) => b.char(ch, i, li * 10, 1, 8));
  });
  return { ...b.finish(), b };
}

describe('PageTextBuilder', () => {
  it('marks a column gap with the separator, boxless, replacing whitespace at the seam', () => {
    const b = new PageTextBuilder();
    b.columnGap(); // nothing to separate at a line start
    [...'Stock '].forEach((ch, i) => b.char(ch, i, 0, 1, 8));
    b.columnGap();
    [...'46'].forEach((ch, i) => b.char(ch, 20 + i, 0, 1, 8));
    const { text, boxes } = b.finish();
    expect(text).toBe(`Stock${COLUMN_SEPARATOR}46`);
    for (let i = 5; i < 5 + COLUMN_SEPARATOR.length; i++) expect(boxes[4 * i + 2]).toBe(0);
    expect(Array.from(boxes.slice(4 * (text.length - 2), 4 * (text.length - 1)))).toEqual([
      20, 0, 1, 8,
    ]);
  });

  it('joins a word hyphenated at a line end when it continues in lower case', () => {
    const { text, boxes, b } = build(['an exam-', 'ple here']);
    expect(text).toBe('an example here');
    expect(b.joinedWords).toEqual(['example']);
    expect(boxes.length).toBe(text.length * 4);
    // "p" keeps the box it was drawn with on the second line.
    const p = text.indexOf('ple');
    expect(Array.from(boxes.slice(4 * p, 4 * p + 4))).toEqual([0, 10, 1, 8]);
  });

  it('keeps the hyphen before a capital, after a digit and across paragraphs', () => {
    expect(build(['well-', 'Known']).text).toBe('well-\nKnown');
    expect(build(['pages 10-', 'twelve']).text).toBe('pages 10-\ntwelve');
    expect(build(['exam-', 'ple'], ['paragraph']).text).toBe('exam-\n\nple');
  });

  it('turns a wrap into one boxless space, or into nothing after a dash', () => {
    const { text, boxes } = build(
      ['Oriana ', '  Abernathy lives', 'in Glenmere'],
      ['wrap', 'wrap'],
    );
    expect(text).toBe('Oriana Abernathy lives in Glenmere');
    expect(boxes.length).toBe(text.length * 4);
    expect(boxes[4 * 6 + 2]).toBe(0); // the space where the line was wrapped
    expect(Array.from(boxes.slice(4 * 7, 4 * 8))).toEqual([2, 10, 1, 8]); // "A", drawn on line 2
    expect(build(['Anglo-', 'Saxon'], ['wrap']).text).toBe('Anglo-Saxon');
    expect(build(['1914\u2013', '1918'], ['wrap']).text).toBe('1914\u20131918');
    expect(build(['an exam-', ' ple'], ['wrap']).text).toBe('an example');
  });

  it('always joins at a soft hyphen', () => {
    expect(build(['Kon\u00ad', 'Tiki']).text).toBe('KonTiki');
  });

  it('expands ligatures with NFKC and splits their box between the letters', () => {
    const { text, boxes, b } = build(['\ufb01ne \ufb02ow']);
    expect(text).toBe('fine flow');
    expect(b.ligatures).toBe(2);
    expect(Array.from(boxes.slice(0, 8))).toEqual([0, 0, 0.5, 8, 0.5, 0, 0.5, 8]);
    expect(boxes.length).toBe(text.length * 4);
  });

  it('leaves full-width forms as printed', () => {
    expect(build(['ＡＢＣ']).text).toBe('ＡＢＣ');
  });

  it('drops leading and trailing spaces of lines and gives inserted characters empty boxes', () => {
    const { text, boxes } = build(['  a  ', ' b']);
    expect(text).toBe('a\nb');
    expect(boxes[4 * 1 + 2]).toBe(0);
    expect(boxes[4 * 1 + 3]).toBe(0);
  });

  it('gives both halves of a surrogate pair the same box', () => {
    const { text, boxes } = build(['a𝐀']);
    expect(text.length).toBe(3);
    expect(Array.from(boxes.slice(4, 8))).toEqual(Array.from(boxes.slice(8, 12)));
  });
});
