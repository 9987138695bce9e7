/**
 * Where the time of a document's first answer goes, read off the progress events the app sends
 * the window while it answers (main/app-service/chat/chat-runner.ts): the model is loaded, then
 * "Reading <document> into the model" reports the document prefix prefill chunk by chunk (its
 * first report comes before tokenising, its last after the last chunk, whose total is the
 * number of prefix tokens prefilled), then "Reading the question", then "Writing the answer".
 */

/** One chat:onProgress event, stamped when it arrived. */
export interface TimedProgress {
  /** performance.now() at arrival. */
  at: number;
  label: string;
  done: number;
  total: number;
}

export interface DocumentTiming {
  /**
   * From sending the first question to the start of reading the document: the model load (graph
   * built or found in the cache, weights into ONNX Runtime) on the first document, about 0 after.
   */
  loadMs: number | null;
  /** Tokenising and prefilling the document prefix, once per document. */
  prefillMs: number | null;
  /** Prefix tokens prefilled (all but the last few, which go with each question). */
  prefillTokens: number | null;
  prefillTokensPerSecond: number | null;
}

/** The label chat-runner.ts gives the document prefill (it names the document). */
export function documentPrefillLabel(documentName: string): string {
  return `Reading ${documentName} into the model`;
}

/**
 * The document's load and prefill times from the first answer's progress events; null figures
 * when the events do not show them (a document too short to prefill ahead of the question).
 */
export function documentTiming(
  events: readonly TimedProgress[],
  documentName: string,
  askedAt: number,
): DocumentTiming {
  const label = documentPrefillLabel(documentName);
  const reading = events.filter((e) => e.label === label);
  const first = reading[0];
  const last = reading.at(-1);
  if (!first || !last || reading.length < 2 || last.total <= 0) {
    return {
      loadMs: first ? first.at - askedAt : null,
      prefillMs: null,
      prefillTokens: null,
      prefillTokensPerSecond: null,
    };
  }
  const prefillMs = last.at - first.at;
  return {
    loadMs: first.at - askedAt,
    prefillMs,
    prefillTokens: last.total,
    prefillTokensPerSecond: prefillMs > 0 ? (last.total * 1000) / prefillMs : null,
  };
}
