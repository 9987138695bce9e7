import { describe, expect, it } from 'vitest';
import { exactMatch, normalisedWords, rouge1Recall, verbatimMatch } from './answer-score';

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

describe('verbatimMatch', () => {
  it('needs the answer as written, case and punctuation included', () => {
    expect(verbatimMatch('KRY708', 'The access code for the grey tower is KRY708.')).toBe(true);
    expect(verbatimMatch('8,521', 'The budget is 8,521 dollars.')).toBe(true);
    expect(verbatimMatch('Helga Everly', 'Helga Everly')).toBe(true);
    expect(verbatimMatch('PQ-6572', 'It is pq 6572')).toBe(false);
    expect(verbatimMatch('PQ-6572', 'It is PQ 6572')).toBe(false);
    expect(verbatimMatch('', 'anything')).toBe(false);
  });
  it('rejects a value run into more letters, digits or joined parts', () => {
    expect(verbatimMatch('9162-RK', 'The code is 9162-RK-RK-RK.')).toBe(false);
    expect(verbatimMatch('40LE33', 'The code is 40LE333.')).toBe(false);
    expect(verbatimMatch('60', 'It holds 160 boxes.')).toBe(false);
    expect(verbatimMatch('8,521', 'It is 8,521,000 dollars.')).toBe(false);
    expect(verbatimMatch('Helga Everly', 'Helga Everly2018')).toBe(false);
  });
  it('finds a later clean occurrence after a run-on one', () => {
    expect(verbatimMatch('9162-RK', '9162-RKX, I mean 9162-RK.')).toBe(true);
    expect(verbatimMatch('17', 'Platform 17, not 170.')).toBe(true);
  });
});
