/**
 * Approximate advance widths (in em) for spreading a text run's measured width over its
 * characters.
 *
 * pdf.js reports one width per text run, not per glyph, so per-character boxes are estimated.
 * Proportional Latin text varies a lot ("ill" vs "mwm"); weighting by rough glyph classes
 * (close to Helvetica/Times proportions) keeps boxes within a fraction of a character of the
 * real glyph, which is what highlighting a token needs.
 */

const NARROW = new Set([...`ijl|!.,;:'\`ı`]);
const SEMI_NARROW = new Set([...'ftrI()[]{}-"/\\*']);
const WIDE = new Set([...'mwMW@%']);

/** Relative advance of one code point, in em. */
export function relativeCharWidth(cp: number): number {
  if (cp === 0x20 || cp === 0xa0) return 0.28;
  if (cp < 0x80) {
    const ch = String.fromCharCode(cp);
    if (NARROW.has(ch)) return 0.26;
    if (SEMI_NARROW.has(ch)) return 0.34;
    if (WIDE.has(ch)) return 0.86;
    if (cp >= 0x41 && cp <= 0x5a) return 0.68; // A-Z
    if (cp >= 0x30 && cp <= 0x39) return 0.56; // 0-9
    return 0.53;
  }
  if (isCombining(cp)) return 0;
  if (isFullWidth(cp)) return 1;
  return 0.6;
}

function isCombining(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x064b && cp <= 0x065f) || // Arabic harakat
    cp === 0x0670 ||
    (cp >= 0x200b && cp <= 0x200f)
  );
}

// CJK ideographs, kana, Hangul and full-width forms occupy a full em.
function isFullWidth(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
