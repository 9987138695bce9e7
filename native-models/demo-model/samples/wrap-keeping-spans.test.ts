import { describe, expect, it } from 'vitest';
import { wrapKeepingSpans } from './wrap-keeping-spans';

const measure = (s: string): number => s.length;

describe('wrapKeepingSpans', () => {
  it('wraps greedily within the width', () => {
    const lines = wrapKeepingSpans('aa bb cc dd ee ff', 8, measure, []);
    expect(lines).toEqual(['aa bb cc', 'dd ee ff']);
  });

  it('never splits a kept span or starts a line with it', () => {
    const text = 'The director of the museum is Clara Mendes and the code is 4817 KQ today.';
    for (let width = 10; width < 60; width += 1) {
      const lines = wrapKeepingSpans(text, width, measure, ['Clara Mendes', '4817 KQ']);
      expect(lines.join(' ')).toBe(text);
      expect(lines.some((l) => l.includes('is Clara Mendes'))).toBe(true);
      expect(lines.some((l) => l.includes('is 4817 KQ'))).toBe(true);
    }
  });

  it('keeps a span whole when a shorter kept span occurs inside it', () => {
    const text =
      'The review took place on 2 April 1985 and the train leaves from platform 1 today.';
    for (let width = 10; width < 60; width += 1) {
      const lines = wrapKeepingSpans(text, width, measure, ['1', '2 April 1985']);
      expect(lines.join(' ')).toBe(text);
      expect(lines.some((l) => l.includes('on 2 April 1985'))).toBe(true);
    }
  });

  it('lets an over-long unit overflow rather than loop', () => {
    expect(wrapKeepingSpans('x averyveryverylongword y', 5, measure, [])).toEqual([
      'x',
      'averyveryverylongword',
      'y',
    ]);
  });
});
