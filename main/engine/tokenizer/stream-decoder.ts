/**
 * Turns token ids into text deltas as they arrive, never splitting a multi-byte character.
 *
 * Byte-level and byte-fallback tokenizers can end a token in the middle of a UTF-8 sequence;
 * decoding that prefix gives U+FFFD. So each push decodes a small window of recent ids, returns
 * only the new text before a trailing U+FFFD, and holds that last character back until a
 * later token completes it (or flush() gives up on it). The window starts one emitted step back
 * so decoders that treat the first token specially (SentencePiece's leading-space strip) see the
 * same context they see in a full decode.
 */
const REPLACEMENT = '\uFFFD';

export type DecodeIds = (ids: number[]) => string;

export class StreamDecoder {
  private readonly ids: number[] = [];
  /** First id of the decode window. */
  private windowStart = 0;
  /** Ids before this are fully emitted. */
  private readStart = 0;
  /** decode(ids[windowStart:readStart]): the part of the window text already emitted before. */
  private windowPrefix = '';
  /** Characters of the window text past windowPrefix returned since readStart. */
  private emitted = 0;
  private heldChars = 0;

  constructor(private readonly decodeIds: DecodeIds) {}

  /** True while the last tokens hold bytes of a character that is not complete yet. */
  get pending(): boolean {
    return this.heldChars > 0;
  }

  /** Adds one token; returns the text it completes (often '', never a broken character). */
  push(id: number): string {
    this.ids.push(id);
    const tail = this.windowTail();
    // UTF-8 decoding (TextDecoder, which both byte decoders use) turns an incomplete sequence
    // at the end into exactly one U+FFFD; any U+FFFD before it is final (invalid bytes), so at
    // most one character is ever held back.
    const held = tail.endsWith(REPLACEMENT) ? 1 : 0;
    const safe = tail.length - held;
    const out = safe > this.emitted ? tail.slice(this.emitted, safe) : '';
    this.emitted = Math.max(this.emitted, safe);
    this.heldChars = held;
    if (held === 0) this.advance();
    return out;
  }

  /** Returns whatever is held (as U+FFFD) and ends the stream's pending state. */
  flush(): string {
    if (this.readStart === this.ids.length) return '';
    const out = this.windowTail().slice(this.emitted);
    this.heldChars = 0;
    this.advance();
    return out;
  }

  private windowTail(): string {
    // If decoders changed earlier text (they should not), fall back to the longest shared
    // prefix so the stream never repeats or drops what it already emitted.
    const text = this.decodeIds(this.ids.slice(this.windowStart));
    if (text.startsWith(this.windowPrefix)) return text.slice(this.windowPrefix.length);
    let common = 0;
    while (common < text.length && text[common] === this.windowPrefix[common]) common++;
    return text.slice(common);
  }

  private advance(): void {
    const end = this.ids.length;
    const lastStep = this.decodeIds(this.ids.slice(this.readStart, end));
    // A step that decodes to nothing (a skipped special token, a lone stripped "▁") gives the
    // next window no context, so keep the older start in that case.
    if (lastStep !== '') {
      this.windowStart = this.readStart;
      this.windowPrefix = lastStep;
    } else {
      this.windowPrefix = this.decodeIds(this.ids.slice(this.windowStart, end));
    }
    this.readStart = end;
    this.emitted = 0;
  }
}
