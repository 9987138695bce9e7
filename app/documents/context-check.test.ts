import { describe, it, expect } from 'vitest';
import { KvLensError } from '../errors';
import { checkContextWindow } from './context-check';

describe('checkContextWindow', () => {
  it('returns the tokens left when everything fits', () => {
    expect(
      checkContextWindow({
        documentTokens: 900,
        promptTokens: 50,
        maxNewTokens: 50,
        contextLength: 1024,
      }),
    ).toBe(24);
    expect(checkContextWindow({ documentTokens: 1024, contextLength: 1024 })).toBe(0);
  });

  it('throws context-overflow with every number when it does not fit', () => {
    let err: unknown;
    try {
      checkContextWindow({
        documentTokens: 5000,
        promptTokens: 20,
        maxNewTokens: 100,
        contextLength: 4096,
        documentName: 'book.pdf',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KvLensError);
    const e = err as KvLensError;
    expect(e.code).toBe('context-overflow');
    expect(e.message).toContain('"book.pdf"');
    expect(e.message).toContain(
      '5000 document tokens + 20 question tokens + 100 answer tokens = 5120',
    );
    expect(e.message).toContain('at most 4096');
    expect(e.message).toContain('at most 3976 document tokens');
    expect(e.details).toMatchObject({ needed: 5120, contextLength: 4096 });
  });

  it('rejects negative or fractional counts', () => {
    expect(() => checkContextWindow({ documentTokens: -1, contextLength: 10 })).toThrow(
      /documentTokens/,
    );
    expect(() => checkContextWindow({ documentTokens: 1, contextLength: 1.5 })).toThrow(
      /contextLength/,
    );
  });
});
