import { describe, it, expect } from 'vitest';
import { orderLines, type OrderedLine } from './reading-order';
import type { TextRun } from './text-run';

// A run of `str` at (u, v) with width 0.5 em per character, 10 pt text.
const run = (str: string, u: number, v: number, rtl = false): TextRun => ({
  str,
  u,
  v,
  width: str.length * 5,
  size: 10,
  ascent: 0.8,
  descent: -0.2,
  rtl,
});

const render = (lines: OrderedLine[]): string =>
  lines
    .map(
      (l, i) =>
        (i === 0 ? '' : { none: '', wrap: ' ~ ', line: ' / ', paragraph: ' ¶ ' }[l.breakBefore]) +
        l.runs.map((r) => r.str).join('+'),
    )
    .join('');

describe('orderLines', () => {
  it('reads two columns one after the other, with spanning title and footer in place', () => {
    const runs: TextRun[] = [run('Title spanning the columns of this page ok', 0, 800)];
    for (let i = 0; i < 5; i++) {
      runs.push(run(`left line ${i} with prose text`, 0, 770 - 12 * i));
      runs.push(run(`right line ${i} with prose text`, 200, 770 - 12 * i));
    }
    runs.push(run('Footer spanning both of the columns here ok', 0, 600));
    const text = render(orderLines(runs.reverse()));
    expect(text).toBe(
      'Title spanning the columns of this page ok ¶ ' +
        [0, 1, 2, 3, 4].map((i) => `left line ${i} with prose text`).join(' / ') +
        ' / ' +
        [0, 1, 2, 3, 4].map((i) => `right line ${i} with prose text`).join(' / ') +
        ' ¶ Footer spanning both of the columns here ok',
    );
  });

  it('keeps a table of short cells row by row instead of splitting it into columns', () => {
    const runs: TextRun[] = [];
    for (let i = 0; i < 6; i++) {
      runs.push(run(`Key${i}`, 0, 700 - 12 * i));
      runs.push(run(`Val${i}`, 150, 700 - 12 * i));
    }
    expect(render(orderLines(runs))).toBe(
      [0, 1, 2, 3, 4, 5].map((i) => `Key${i}+Val${i}`).join(' / '),
    );
  });

  it('marks paragraph breaks from larger vertical gaps', () => {
    const runs = [run('a1', 0, 700), run('a2', 0, 688), run('b1', 0, 660), run('b2', 0, 648)];
    expect(render(orderLines(runs))).toBe('a1 / a2 ¶ b1 / b2');
  });

  it('marks the lines a paragraph was wrapped into, per column, and not the lines of a list', () => {
    const full = (tag: string) => `${tag} ${'x'.repeat(36)}`; // 40 characters: 200 wide
    const runs: TextRun[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(run(full(`L${i}`), 0, 700 - 12 * i));
      runs.push(run(full(`R${i}`), 250, 700 - 12 * i));
    }
    runs.push(run('L3 end.', 0, 664), run('R3 end.', 250, 664));
    runs.push(run('1. item', 0, 640), run('2. item', 0, 628));
    // The list sits under the left column's paragraph, so it is read before the right column.
    expect(render(orderLines(runs))).toBe(
      `${full('L0')} ~ ${full('L1')} ~ ${full('L2')} ~ L3 end. ¶ 1. item / 2. item / ` +
        `${full('R0')} ~ ${full('R1')} ~ ${full('R2')} ~ R3 end.`,
    );
  });

  it('orders mostly right-to-left lines from right to left', () => {
    const runs = [run('first', 100, 700, true), run('second', 20, 700, true)];
    expect(render(orderLines(runs))).toBe('first+second');
  });
});
