/**
 * Text the random tokenizer learns its first merges from, so common words get their own tokens
 * like in a real vocabulary. Written for this project; mixed scripts on purpose so multi-byte
 * UTF-8 sequences become merges too.
 */
export const TOKENIZER_CORPUS = `
The model reads the document and answers the question. The cache keeps the tokens that matter.
When the budget is small, the model keeps fewer tokens and the answer may change. Each layer
keeps its own set of positions, and the heatmap shows which parts of the page were kept.
A question about the first page, a question about the last page, and a question about a table.
The report says that the total was 1234 in 2024 and 5678 in 2025; the growth was 360 percent.
Please answer in one sentence. What is the name of the author? Where was the study done?
Les documents sont longs, mais la réponse est courte. Das Modell liest die Seite über Größe.
El café está en la esquina. Naïve résumé déjà vu. Ελληνικά κείμενα. Русский текст о модели.
日本語の文書を読みます。中文文档很长。한국어 문서. Emoji: 🙂 📄 ✅.
the the the and and and of of of to to to in in in is is is that that that for for for
`;
