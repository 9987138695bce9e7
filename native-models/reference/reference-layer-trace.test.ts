import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../app/model/model-spec';
import { memoryWeights, tinySpec } from './memory-weights';
import { filterReferenceCache } from './reference-cache';
import { referenceForwardWithCache } from './reference-forward';
import { referenceLayerAttention, referenceTrace } from './reference-layer-trace';

const FAMILIES: ModelSpec['family'][] = ['llama', 'qwen2', 'qwen3'];

function maxRel(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

describe.each(FAMILIES)('referenceTrace (%s)', (family) => {
  const m = memoryWeights(tinySpec(family), 7);
  const prompt = [3, 17, 5, 29, 8];

  it('gives the same logits and cache as referenceForwardWithCache, also on an evicted cache', () => {
    const t = referenceTrace(m, prompt);
    const r = referenceForwardWithCache(m, prompt);
    expect(maxRel(t.logits, r.logits)).toBeLessThan(1e-12);
    const evicted = filterReferenceCache(r.cache, (l, _g, _e, i) => i !== l + 1);
    const t2 = referenceTrace(m, [11, 4], { cache: evicted, positions: [5, 6] });
    const r2 = referenceForwardWithCache(m, [11, 4], { cache: evicted, positions: [5, 6] });
    expect(maxRel(t2.logits, r2.logits)).toBeLessThan(1e-12);
    expect(t2.cache.layers[0]![0]!.map((e) => e.position)).toEqual([0, 2, 3, 4, 5, 6]);
  });

  it('records one normalised input and one attention output per layer and row', () => {
    const t = referenceTrace(m, prompt);
    expect(t.layerInputs).toHaveLength(m.spec.numLayers);
    expect(t.attnOutputs[1]).toHaveLength(prompt.length);
    expect(t.attnOutputs[1]![0]!.length).toBe(m.spec.hiddenSize);
    // The last layer's attention on its own inputs and the full cache reproduces the trace.
    const l = m.spec.numLayers - 1;
    const before = filterReferenceCache(t.cache, (_l, _g, e) => e.position < 4);
    const again = referenceLayerAttention(m, l, [t.layerInputs[l]![4]!], [4], before.layers[l]!);
    expect(maxRel(again.outputs[0]!, t.attnOutputs[l]![4]!)).toBeLessThan(1e-12);
  });

  it('changes the attention output when the cache loses entries', () => {
    const t = referenceTrace(m, prompt);
    const l = 0;
    const past = filterReferenceCache(t.cache, (_l, _g, e) => e.position < 4);
    const fewer = filterReferenceCache(past, (_l, _g, e) => e.position >= 2);
    const full = referenceLayerAttention(m, l, [t.layerInputs[l]![4]!], [4], past.layers[l]!);
    const comp = referenceLayerAttention(m, l, [t.layerInputs[l]![4]!], [4], fewer.layers[l]!);
    expect(maxRel(comp.outputs[0]!, full.outputs[0]!)).toBeGreaterThan(1e-6);
  });
});
