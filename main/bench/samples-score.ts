/**
 * What `npm run bench -- samples` records per answer, and how it is scored and summed. A reply
 * is right when it holds the expected answer verbatim (niah/answer-score.ts: as written, as a
 * whole value; "The code is KRY708." holds "KRY708", "kry708", "KRY-708" and "KRY708-08" do
 * not): a reader of the app takes the value as shown. ROUGE-1 recall gives partial credit (how
 * many of the answer's words appear after normalisation). A whole reply is stricter: the reply
 * is the sample's expected one word for word (spacing aside), so the key it restates is the one
 * asked too. The demo model answers in that fixed form, and a right value under another person's
 * name ("Rosa Calloway lives in Varden" asked about Ezra Calloway) is right but not whole; other
 * models word their replies their own way, so for them only `right` means anything.
 */
import type { CompressionMethod } from '../../app/chat/compression-methods';
import { rouge1Recall, verbatimMatch } from '../engine/niah/answer-score';
import type { SampleQuestion } from './samples-meta';

/** `compressed`: the method and budget under test (the app's defaults unless overridden). */
export type SettingId = 'compressed' | 'full';

export interface BenchSetting {
  id: SettingId;
  method: CompressionMethod;
  /** Sent with the question as the app does; the full cache keeps every token regardless. */
  budget: number;
  label: string;
}

/** The two settings every question is asked at: the one under test, then the full cache. */
export function benchSettings(method: CompressionMethod, budget: number): BenchSetting[] {
  return [
    { id: 'compressed', method, budget, label: `${method} @ ${budget}` },
    { id: 'full', method: 'full', budget, label: 'full cache' },
  ];
}

export interface ReplyScore {
  /** Holds the expected answer verbatim (file comment). */
  right: boolean;
  /** Is the expected reply, word for word (file comment). */
  whole: boolean;
  rouge1: number;
}

const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Scores a reply against the expected answer (the value) and the expected whole reply. */
export function scoreReply(expected: string, expectedReply: string, reply: string): ReplyScore {
  return {
    right: verbatimMatch(expected, reply),
    whole: words(reply) === words(expectedReply),
    rouge1: rouge1Recall(expected, reply),
  };
}

/** One answer as the app produced it (its stats panel figures), with its score. */
export interface AnswerResult extends ReplyScore {
  text: string;
  generatedTokens: number;
  promptTokens: number;
  /** KV entries kept, summed over layers. */
  keptTokens: number;
  timeToFirstTokenMs: number;
  /** As the app computes it: includes the document prefix when this answer prefilled it. */
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** Wall time of the chat:ask request, as the window waits for it. */
  wallMs: number;
  /** True for the document's first answer, which also loaded the model and read the document. */
  prefilledDocument: boolean;
  provider: string;
}

export interface QuestionResult extends SampleQuestion {
  answers: Record<SettingId, AnswerResult>;
}

export interface Tally {
  asked: number;
  right: number;
  whole: number;
  rouge1Mean: number;
}

/** Right answers (verbatim), whole replies and mean ROUGE-1 recall at one setting. */
export function tally(questions: readonly QuestionResult[], id: SettingId): Tally {
  let right = 0;
  let whole = 0;
  let rouge = 0;
  for (const q of questions) {
    const a = q.answers[id];
    if (a.right) right++;
    if (a.whole) whole++;
    rouge += a.rouge1;
  }
  const asked = questions.length;
  return { asked, right, whole, rouge1Mean: asked === 0 ? 0 : rouge / asked };
}

/** The mean, or null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Mean time to first token and decode rate at one setting, over the answers that did not also
 * read the document (the first one's TTFT is the document prefill, reported on its own).
 */
export function answerSpeed(
  questions: readonly QuestionResult[],
  id: SettingId,
): { timeToFirstTokenMs: number | null; decodeTokensPerSecond: number | null } {
  const answers = questions.map((q) => q.answers[id]);
  return {
    timeToFirstTokenMs: mean(
      answers.filter((a) => !a.prefilledDocument).map((a) => a.timeToFirstTokenMs),
    ),
    decodeTokensPerSecond: mean(
      answers.filter((a) => a.decodeTokensPerSecond > 0).map((a) => a.decodeTokensPerSecond),
    ),
  };
}
