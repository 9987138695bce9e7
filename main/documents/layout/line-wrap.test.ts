import { describe, expect, it } from 'vitest';
import { continuesAfterWrap, type Flow } from './line-wrap';
import type { TextRun } from './text-run';

// 10 pt text, 5 units per character (0.5 em): a 60-character line is 300 wide.
const run = (str: string, u = 0, size = 10, rtl = false): TextRun => ({
  str,
  u,
  v: 0,
  width: str.length * 5,
  size,
  ascent: 0.8,
  descent: -0.2,
  rtl,
});
const flow: Flow = { start: 0, end: 300 };
const full = 'x'.repeat(58) + ' y'; // 300 wide, the whole flow
const wraps = (prev: TextRun[], next: TextRun[], f: Flow = flow): boolean =>
  continuesAfterWrap(prev, next, f);

describe('continuesAfterWrap', () => {
  it('joins a full line of a paragraph to the next', () => {
    expect(wraps([run(full)], [run('continues the sentence')])).toBe(true);
    expect(wraps([run('x'.repeat(55))], [run('and more')])).toBe(true); // 92% full
  });

  it('joins a shorter line only when the next word would not have fitted after it', () => {
    const prev = [run('x'.repeat(48))]; // 240 wide: 60 left
    expect(wraps(prev, [run('unbelievably long words')])).toBe(true); // about 60, plus a space
    expect(wraps(prev, [run('A short one')])).toBe(false); // "A" fitted: the break was meant
  });

  it('joins a well-filled line to a next line that starts in lower case (words kept together)', () => {
    const prev = [run('x'.repeat(40))]; // 67% full: "is" would have fitted
    expect(wraps(prev, [run('is 46262.')])).toBe(true);
    expect(wraps(prev, [run('\u00e9t\u00e9 ferm\u00e9')])).toBe(true); // any script's lower case
    expect(wraps(prev, [run('Is 46262.')])).toBe(false);
    expect(wraps(prev, [run('46262 crates')])).toBe(false);
    expect(wraps([run('x'.repeat(30))], [run('is 46262.')])).toBe(false); // half full: meant
  });

  it('keeps the break after a short line (a paragraph end, a heading, an address)', () => {
    expect(wraps([run('Inventory')], [run('continues the sentence')])).toBe(false);
    expect(wraps([run('x'.repeat(30))], [run('unbelievably long words')])).toBe(false);
  });

  it('keeps list items, table rows, indents and size changes on their own lines', () => {
    for (const item of ['1. next item', '- next item', '(b) next item', 'iv) next item', 'B) item'])
      expect(wraps([run(full)], [run(item)]), item).toBe(false);
    expect(wraps([run(full)], [run('J. Smith, who wrote it')])).toBe(true); // an initial
    expect(wraps([run(full)], [run('cell'), run('46', 200)])).toBe(false);
    expect(wraps([run('x'.repeat(20)), run('y'.repeat(10), 250)], [run('next')])).toBe(false);
    expect(wraps([run(full)], [run('indented opening', 30)])).toBe(false);
    expect(wraps([run(full)], [run('bigger heading', 0, 14)])).toBe(false);
  });

  it('lets a list item wrap onto its hanging indent', () => {
    const item = [run('1.', 0), run('x'.repeat(54), 24)]; // marker, then text to the flow end
    expect(wraps(item, [run('rest of the item', 24)])).toBe(true);
    expect(wraps([run('x'.repeat(54), 24)], [run('2. next item', 0)])).toBe(false);
  });

  it('leaves narrow flows (forms, label columns) and right-to-left lines alone', () => {
    const narrow: Flow = { start: 0, end: 100 };
    expect(wraps([run('x'.repeat(20))], [run('Date: 2020')], narrow)).toBe(false);
    expect(wraps([run(full, 0, 10, true)], [run('next', 0, 10, true)])).toBe(false);
  });
});
