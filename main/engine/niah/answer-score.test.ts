import { describe, expect, it } from 'vitest';
import { exactMatch, normalisedWords, rouge1Recall } from './answer-score';

describe('normalisedWords', () => {
  it('lowercases, strips punctuation and splits codes at hyphens', () => {
    expect(normalisedWords('The answer is 4821-KT.')).toEqual([
      'the',
      'answer',
      'is',
      '4821',
      'kt',
    ]);
    expect(normalisedWords('  Ünïcode, Straße!  ')).toEqual(['ünïcode', 'straße']);
    expect(normalisedWords('...')).toEqual([]);
  });
});

describe('rouge1Recall', () => {
  it('is 1 when every answer word is in the output', () => {
    expect(rouge1Recall('Marisol Quayle', 'The answer is Marisol Quayle.')).toBe(1);
    expect(rouge1Recall('4821-KT', 'the code: 4821 kt')).toBe(1);
  });
  it('counts partial matches', () => {
    expect(rouge1Recall('Marisol Quayle', 'Marisol Hollins')).toBe(0.5);
    expect(rouge1Recall('Ambleford', 'Hazelby')).toBe(0);
  });
  it('clips repeated answer words to their count in the output', () => {
    expect(rouge1Recall('ten ten', 'ten')).toBe(0.5);
    expect(rouge1Recall('ten ten', 'ten and ten')).toBe(1);
  });
  it('scores an empty answer 0', () => {
    expect(rouge1Recall('', 'anything')).toBe(0);
    expect(rouge1Recall('!!', 'anything')).toBe(0);
  });
});

describe('exactMatch', () => {
  it('needs the whole answer as a contiguous run after normalisation', () => {
    expect(exactMatch('Marisol Quayle', 'It is marisol quayle!')).toBe(true);
    expect(exactMatch('Marisol Quayle', 'Quayle, Marisol')).toBe(false);
    expect(exactMatch('4821-KT', 'code 4821 KT')).toBe(true);
    expect(exactMatch('4821', 'code 48210')).toBe(false);
    expect(exactMatch('', 'x')).toBe(false);
  });
});
