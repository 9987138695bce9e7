import { describe, expect, it } from 'vitest';
import { alignDecodedToInput } from './align-text';

describe('alignDecodedToInput', () => {
  it('is the identity for equal texts', () => {
    expect(Array.from(alignDecodedToInput('abc', 'abc'))).toEqual([0, 1, 2, 3]);
  });

  it('maps an NFC-composed character onto its decomposed input', () => {
    // decoded "café!" vs input "cafe\u0301!": é covers input [3, 5).
    const map = alignDecodedToInput('café!', 'cafe\u0301!');
    expect(Array.from(map)).toEqual([0, 1, 2, 3, 5, 6]);
  });

  it('skips an added leading space and a replaced character', () => {
    const map = alignDecodedToInput(' hello <unk> world', 'hello \u2603 world');
    expect(map[1]).toBe(0);
    expect(map[7]).toBe(6); // "<unk>" starts where the snowman is
    expect(map[12]).toBe(7); // after "<unk>" comes the space after the snowman
    expect(map[18]).toBe(13);
    for (let i = 1; i < map.length; i++) expect(map[i]!).toBeGreaterThanOrEqual(map[i - 1]!);
  });

  it('spreads an unmatched tail over the rest of the input', () => {
    const map = alignDecodedToInput('abXY', 'abZZZZ');
    expect(Array.from(map)).toEqual([0, 1, 2, 4, 6]);
  });
});
