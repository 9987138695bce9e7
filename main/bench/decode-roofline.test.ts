import { describe, expect, it } from 'vitest';
import { kvBytesPerToken } from '../../app/model/model-spec';
import { QWEN2_5_0_5B_DIMS, randomSpec } from '../../native-models/checkpoint/random-spec';
import { decodeRoofline, weightBytesPerToken } from './decode-roofline';
import { measureCopyBandwidth } from './memory-bandwidth';

describe('decode roofline', () => {
  const qwen = randomSpec('qwen2', QWEN2_5_0_5B_DIMS);

  it('reads every Qwen2.5-0.5B weight once per token (494,032,768 published parameters)', () => {
    // The tied embedding is read twice: one row to embed, the whole matrix as the LM head.
    const published = 494_032_768;
    expect(weightBytesPerToken(qwen)).toBe(4 * (published + qwen.hiddenSize));
  });

  it('adds the whole KV cache at the context and divides by bandwidth', () => {
    expect(kvBytesPerToken(qwen)).toBe(2 * 24 * 2 * 64 * 4);
    const r = decodeRoofline(qwen, 1000, 20e9);
    expect(r.bytesPerToken).toBe(weightBytesPerToken(qwen) + 1000 * 24576);
    expect(r.tokensPerSecond).toBeCloseTo(20e9 / r.bytesPerToken, 9);
  });

  it('measures a plausible copy bandwidth', () => {
    const bw = measureCopyBandwidth(8 * 1024 * 1024, 3);
    expect(bw).toBeGreaterThan(1e8);
    expect(bw).toBeLessThan(1e13);
  });
});
