import { describe, it, expect } from 'vitest';
import { encodeFrame, decodeFrame } from './wire-codec';
import { parseWireMessage } from './wire-protocol';
import { KvLensError } from '../errors';

describe('wire codec', () => {
  it('round-trips nested plain data with typed arrays as raw attachments', () => {
    const value = {
      t: 'evt',
      channel: 'retention:onUpdate',
      payload: {
        kept: [new Int32Array([0, 5, 7]), new Int32Array([1])],
        spans: new Int32Array([0, 3, 3, 9]),
        bytes: new Uint8Array([255, 0, 1]),
        f: new Float32Array([0.5, -2]),
        text: 'naïve “quotes” 漢字',
        n: null,
      },
    };
    const frame = encodeFrame(value);
    const back = decodeFrame(frame) as typeof value;
    expect(back).toEqual(value);
    expect(back.payload.kept[0]).toBeInstanceOf(Int32Array);
    expect(Array.from(back.payload.kept[0]!)).toEqual([0, 5, 7]);
    expect(back.payload.bytes).toBeInstanceOf(Uint8Array);
    // Attachments are raw: a 1 MB upload costs about 1 MB on the wire, not 1.33 MB of base64.
    const big = encodeFrame({ bytes: new Uint8Array(1 << 20) });
    expect(big.length).toBeLessThan((1 << 20) + 200);
  });

  it('encodes a typed array that is a view into a larger buffer by its own bytes only', () => {
    const whole = new Int32Array([9, 8, 7, 6]);
    const back = decodeFrame(encodeFrame({ v: whole.subarray(1, 3) })) as { v: Int32Array };
    expect(Array.from(back.v)).toEqual([8, 7]);
  });

  it('rejects truncated or garbage frames with a corrupt error', () => {
    const frame = encodeFrame({ a: new Uint8Array(10) });
    expect(() => decodeFrame(frame.subarray(0, frame.length - 6))).toThrow(KvLensError);
    expect(() => decodeFrame(new Uint8Array([1, 2]))).toThrow(/Malformed/);
    const junk = new Uint8Array([3, 0, 0, 0, 123, 123, 123, 0]);
    expect(() => decodeFrame(junk)).toThrow(/does not parse/);
  });

  it('parses envelopes and refuses unknown channels', () => {
    expect(parseWireMessage({ t: 'req', id: 1, channel: 'chat:ask', args: {} })).not.toBeNull();
    expect(parseWireMessage({ t: 'req', id: 1, channel: 'fs:read', args: {} })).toBeNull();
    expect(
      parseWireMessage({ t: 'res', id: 2, ok: false, error: { code: 'usage', message: 'm' } }),
    ).toMatchObject({ ok: false });
    expect(parseWireMessage({ t: 'evt', channel: 'chat:onToken', payload: 1 })).not.toBeNull();
    expect(parseWireMessage('nope')).toBeNull();
  });
});
