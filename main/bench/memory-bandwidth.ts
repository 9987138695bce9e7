/**
 * Memory-copy bandwidth, the denominator of the decode roofline: decoding one token streams
 * every weight and the whole KV cache through the cores once, so it cannot beat bytes/bandwidth.
 */

/**
 * Measures bytes moved per second (read + write) copying a 64 MiB buffer, far larger than any
 * CPU cache (and small enough not to inflate the peak RSS the benchmark reports).
 *
 * The best of several rounds is kept: the figure is what the hardware can do, not an average of
 * rounds disturbed by other processes.
 */
export function measureCopyBandwidth(bytes = 64 * 1024 * 1024, rounds = 16): number {
  const src = Buffer.alloc(bytes, 1);
  const dst = Buffer.alloc(bytes);
  src.copy(dst); // first touch: page faults are not bandwidth
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    src.copy(dst);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, (2 * bytes) / s);
  }
  return best;
}
