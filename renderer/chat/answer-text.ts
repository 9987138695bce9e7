/**
 * How an answer's text is shown. A byte-level BPE model may write its first word with the space
 * that precedes words inside a text (the demo model trained with `--reply value` answers
 * " pomegranate", the same tokens as in the document it copies from), which
 * `white-space: pre-wrap` would show as an indent. The stored text keeps the space, so that a
 * later turn gives the model back exactly what it wrote.
 */
export function shownAnswerText(text: string): string {
  return text.trimStart();
}
