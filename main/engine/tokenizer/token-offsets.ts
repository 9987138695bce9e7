/**
 * Character spans of tokens in the text they were encoded from, computed by decoding the ids
 * incrementally (the tokenizer package reports no offsets).
 *
 * A token's span is the set of characters its bytes belong to. A token that carries only part
 * of a character (a byte-fallback <0xE4>, or a byte-level piece ending mid-emoji) gets the whole
 * character, so neighbouring spans can overlap by that character; a token that decodes to
 * nothing gets an empty span at its position. Positions are UTF-16 indices (String.slice).
 */
import { alignDecodedToInput } from './align-text';
import { StreamDecoder, type DecodeIds } from './stream-decoder';

export type Span = [start: number, end: number];

/** Spans of `ids` in `text`, given a decoder that keeps special tokens and spacing verbatim. */
export function computeTokenSpans(ids: number[], decodeRaw: DecodeIds, text: string): Span[] {
  const stream = new StreamDecoder(decodeRaw);
  let decoded = '';
  // Decoded-text span of token k: [before, after + (pending ? the held character : 0)).
  const marks: { start: number; end: number; pending: boolean }[] = [];
  for (const id of ids) {
    const start = decoded.length;
    decoded += stream.push(id);
    marks.push({ start, end: decoded.length, pending: stream.pending });
  }
  decoded += stream.flush();
  const map = alignDecodedToInput(decoded, text);
  return marks.map(({ start, end, pending }) => {
    let stop = end;
    if (pending && end < decoded.length) {
      const cp = decoded.codePointAt(end)!;
      stop = end + (cp > 0xffff ? 2 : 1);
    }
    return [map[start]!, map[stop]!];
  });
}
