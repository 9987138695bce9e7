/**
 * Maps character positions of a tokenizer's decoded text back onto the input text.
 *
 * Decoding usually reproduces the input exactly. Where it does not (Unicode normalisation such
 * as NFC, an added prefix space, an <unk> token), a greedy walk matches equal characters and,
 * at a mismatch, looks for the nearest point where both texts agree again for a few characters;
 * the differing stretch in between is mapped proportionally. Linear time when texts agree.
 */
const RESYNC_WINDOW = 64;
// Short enough to resync between nearby differences, long enough not to lock onto one space.
const RESYNC_MATCH = 4;

/** map[i] = input index of decoded index i, for i = 0..decoded.length (monotone). */
export function alignDecodedToInput(decoded: string, input: string): Int32Array {
  const map = new Int32Array(decoded.length + 1);
  if (decoded === input) {
    for (let i = 0; i <= decoded.length; i++) map[i] = i;
    return map;
  }
  let i = 0;
  let j = 0;
  while (i < decoded.length) {
    if (j < input.length && decoded[i] === input[j]) {
      map[i++] = j++;
      continue;
    }
    const step = resync(decoded, i, input, j);
    if (!step) break;
    for (let x = 0; x < step.di; x++) map[i + x] = j + Math.floor((x * step.dj) / step.di);
    i += step.di;
    j += step.dj;
  }
  // Whatever could not be matched is spread over the rest of the input.
  const restA = decoded.length - i;
  const restB = input.length - j;
  for (let x = 0; x < restA; x++) map[i + x] = j + Math.floor((x * restB) / restA);
  map[decoded.length] = input.length;
  return map;
}

/** The smallest skip (di in decoded, dj in input) after which both texts agree again. */
function resync(a: string, i: number, b: string, j: number): { di: number; dj: number } | null {
  for (let t = 1; t <= 2 * RESYNC_WINDOW; t++) {
    for (let di = Math.max(0, t - RESYNC_WINDOW); di <= Math.min(t, RESYNC_WINDOW); di++) {
      const dj = t - di;
      if (i + di > a.length || j + dj > b.length) continue;
      if (agree(a, i + di, b, j + dj)) return { di, dj };
    }
  }
  return null;
}

function agree(a: string, i: number, b: string, j: number): boolean {
  const remA = a.length - i;
  const remB = b.length - j;
  const k = Math.min(RESYNC_MATCH, remA, remB);
  // Near the end only an exact match of both tails counts.
  if (k < RESYNC_MATCH && remA !== remB) return false;
  for (let x = 0; x < k; x++) if (a[i + x] !== b[j + x]) return false;
  return true;
}
