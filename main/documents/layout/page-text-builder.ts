/**
 * Accumulates one page's text and per-character boxes, applying the text clean-ups that must
 * keep boxes and offsets in step: ligature expansion, line-end hyphen joining, whitespace.
 */

const HYPHENS = new Set(['-', '\u2010', '\u00ad']);
/** A line wrapped after one of these continues without a space. */
const DASHES = new Set(['-', '\u2010', '\u2011', '\u2013', '\u2014']);
/** What a column gap inside a line becomes (see columnGap). */
export const COLUMN_SEPARATOR = '    ';
const LETTER = /\p{L}/u;
const LOWER = /\p{Ll}/u;

/**
 * Compatibility characters that NFKC should expand: Latin ligatures (U+FB00-FB06) and
 * Arabic/Hebrew presentation forms. Other NFKC folds (full-width Latin, superscripts) change
 * meaning or layout, so they are left as printed.
 */
function needsNfkc(cp: number): boolean {
  return (cp >= 0xfb00 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfefc);
}

export class PageTextBuilder {
  private units: number[] = [];
  private boxes = new Float32Array(1024);
  private lineHasText = false;
  /** Just after a wrap: whitespace the next line starts with is dropped, as at a line start. */
  private wrapped = false;
  private lastX = 0;
  private lastY = 0;
  /** Words joined across a line-end hyphen, e.g. "example". */
  readonly joinedWords: string[] = [];
  ligatures = 0;

  get length(): number {
    return this.units.length;
  }

  /**
   * Starts a new line; joins "exam-" + "ple" when the break is a hyphenated word. A 'wrap' (the
   * typesetter's, inside a paragraph) becomes a space, or nothing after a dash ("Anglo-" /
   * "Saxon"); 'line' and 'paragraph' become one and two newlines.
   */
  newLine(kind: 'wrap' | 'line' | 'paragraph', nextText: string): void {
    this.trimTrailingSpace();
    if (this.units.length === 0) return;
    const next = nextText.trimStart();
    if (kind !== 'paragraph' && this.hyphenJoinable(next)) {
      this.pop();
      this.joinedWords.push(this.lastWord() + (/^\p{L}+/u.exec(next)?.[0] ?? ''));
      this.wrapped = true;
      return;
    }
    if (kind === 'wrap') {
      if (!DASHES.has(String.fromCharCode(this.units[this.units.length - 1]!))) this.space();
      this.wrapped = true;
      return;
    }
    this.pushSynthetic(kind === 'paragraph' ? '\n\n' : '\n');
    this.lineHasText = false;
    this.wrapped = false;
  }

  /** Adds a space the PDF did not contain (gap between runs); no box. */
  space(): void {
    if (!this.lineHasText) return;
    const last = this.units[this.units.length - 1];
    if (last === 0x20 || last === 0x0a) return;
    this.pushSynthetic(' ');
  }

  /**
   * Marks a column gap inside a line (table cells drawn apart) as four spaces, no boxes, whatever
   * whitespace the runs brought to the seam: the gap stays visible in the text.
   */
  columnGap(): void {
    if (!this.lineHasText) return;
    this.trimTrailingSpace();
    this.pushSynthetic(COLUMN_SEPARATOR);
  }

  /** Adds one printed code point with its box; whitespace at a line start is dropped. */
  char(ch: string, x: number, y: number, w: number, h: number): void {
    if ((!this.lineHasText || this.wrapped) && /\s/.test(ch)) return;
    const cp = ch.codePointAt(0)!;
    if (needsNfkc(cp)) {
      const norm = ch.normalize('NFKC');
      if (norm !== ch) {
        this.ligatures++;
        const parts = [...norm];
        parts.forEach((p, i) => this.put(p, x + (w * i) / parts.length, y, w / parts.length, h));
        return;
      }
    }
    this.put(ch, x, y, w, h);
  }

  /** The page text and its boxes (4 floats per UTF-16 unit). */
  finish(): { text: string; boxes: Float32Array } {
    this.trimTrailingSpace();
    let text = '';
    for (let i = 0; i < this.units.length; i += 8192) {
      text += String.fromCharCode(...this.units.slice(i, i + 8192));
    }
    return { text, boxes: this.boxes.slice(0, this.units.length * 4) };
  }

  private put(ch: string, x: number, y: number, w: number, h: number): void {
    for (let i = 0; i < ch.length; i++) this.pushUnit(ch.charCodeAt(i), x, y, w, h);
    this.lineHasText = true;
    this.wrapped = false;
    this.lastX = x + w;
    this.lastY = y;
  }

  private pushSynthetic(s: string): void {
    for (let i = 0; i < s.length; i++) this.pushUnit(s.charCodeAt(i), this.lastX, this.lastY, 0, 0);
  }

  private pushUnit(unit: number, x: number, y: number, w: number, h: number): void {
    const i = this.units.length;
    if ((i + 1) * 4 > this.boxes.length) {
      const grown = new Float32Array(this.boxes.length * 2);
      grown.set(this.boxes);
      this.boxes = grown;
    }
    this.units.push(unit);
    const b = this.boxes;
    b[i * 4] = x;
    b[i * 4 + 1] = y;
    b[i * 4 + 2] = w;
    b[i * 4 + 3] = h;
  }

  private pop(): void {
    this.units.pop();
  }

  private trimTrailingSpace(): void {
    while (this.units.length > 0) {
      const u = this.units[this.units.length - 1]!;
      if (u !== 0x20 && u !== 0x09 && u !== 0xa0 && u !== 0x0a) break;
      this.units.pop();
    }
  }

  // "exam-" + "ple": a hyphen after a letter, continued in lower case (a soft hyphen always).
  private hyphenJoinable(next: string): boolean {
    const n = this.units.length;
    if (n < 2) return false;
    const last = String.fromCharCode(this.units[n - 1]!);
    if (!HYPHENS.has(last)) return false;
    if (!LETTER.test(String.fromCharCode(this.units[n - 2]!))) return false;
    const first = next.charAt(0);
    return last === '\u00ad' ? LETTER.test(first) : LOWER.test(first);
  }

  private lastWord(): string {
    let i = this.units.length;
    while (i > 0 && LETTER.test(String.fromCharCode(this.units[i - 1]!))) i--;
    return String.fromCharCode(...this.units.slice(i));
  }
}
