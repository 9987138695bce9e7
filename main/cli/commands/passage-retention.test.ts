import { describe, expect, it } from 'vitest';
import { KvLensError } from '../../../app/errors';
import type { RetentionView, TokenLayout } from '../../../app/ipc/retention-view';
import type { KeptPositions } from '../../../app/kv/kept-positions';
import { passageRetention, passageRetentionText, passageStart } from './passage-retention';

// Document "Intro. On 9 May, the mine shut." split into word tokens; the prompt has 3 tokens
// (a chat header) before the document, so document token i sits at prompt position 3 + i.
const TEXT = 'Intro. On 9 May, the mine shut.';
const WORDS = ['Intro.', ' On', ' 9', ' May', ',', ' the', ' mine', ' shut', '.'];
const DOC_START = 3;

function layout(): TokenLayout {
  const spans: number[] = [];
  let at = 0;
  for (const w of WORDS) {
    spans.push(at, at + w.length);
    at += w.length;
  }
  return { key: 'doc@model', docTokenStart: DOC_START, spans: Int32Array.from(spans) };
}

function view(layers: KeptPositions[], budgets: number[]): RetentionView {
  const T = DOC_START + WORDS.length;
  return {
    conversationId: 'c',
    method: 'compresskv',
    budget: 4,
    warnings: [],
    layoutKey: 'doc@model',
    layout: null,
    map: {
      promptLength: T,
      layerCount: layers.length,
      budgets,
      keptPerLayer: budgets,
      layers,
      tokenLayerCount: new Uint16Array(T),
      tokenLayerWeight: new Float32Array(T),
      totals: { tokensKept: 0, distinctTokensKept: 0, fullBytes: 0, compressedBytes: 0 },
    },
  };
}

describe('passageRetention', () => {
  it('marks, per layer and per KV head, which of the passage tokens were kept', () => {
    // Passage "9 May, the mine" starts inside token " 9" and ends inside " mine": tokens 2..6,
    // prompt positions 5..9.
    const shared: KeptPositions = { kind: 'shared', kept: Int32Array.from([0, 5, 7, 9, 11]) };
    const perHead: KeptPositions = {
      kind: 'per-kv-head',
      kvHeads: [Int32Array.from([4, 5, 6]), Int32Array.from([8, 9, 10])],
    };
    const r = passageRetention(TEXT, layout(), view([shared, perHead], [5, 3]), '9 May, the mine');
    expect(r.tokens).toEqual([' 9', ' May', ',', ' the', ' mine']);
    expect(r.budgets).toEqual([5, 3]);
    expect(r.layers).toEqual([['#.#.#'], ['##...', '...##']]);
    const text = passageRetentionText(r);
    expect(text).toContain('passage tokens: " 9" " May" "," " the" " mine"');
    expect(text).toMatch(/layer 0 \(5\) {2}#\.#\.#\n/);
    expect(text).toMatch(/layer 1 \(3\) {2}##\.\.\. \| \.\.\.##\n/);
  });

  it('says what to do when the passage is not in the document text', () => {
    expect(passageStart(TEXT, 'the mine')).toBe(17);
    for (const missing of ['the quarry', '   ']) {
      expect(() => passageStart(TEXT, missing)).toThrow(KvLensError);
      expect(() => passageStart(TEXT, missing)).toThrow(/not in the document's text.*ingest FILE/);
    }
  });
});
