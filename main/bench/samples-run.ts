/**
 * Asks the sample documents' questions through the app itself: an AppService (the object behind
 * the window's IPC requests) with a memory-only library (main/app-service/headless-app.ts), driven
 * with the same requests the window sends:
 *   settings:set {maxNewTokens}         the settings panel
 *   document:open {source: path}        File > Open (main/electron/main.ts sends a host path):
 *                                       pdf.js extraction in main/documents/, as the app does
 *   chat:ask {conversationId: null, method, budget}
 *                                       a new conversation per question, as "New question"
 * chat:ask runs ChatRunner: the default model (the folder given as the demo model, as the app
 * resolves it when settings name none) with its calibration, one DocumentSession per document
 * (prefix prefilled once), greedy decoding, the per-answer figures of the stats panel.
 */
import { KvLensError } from '../../app/errors';
import type { AskResult } from '../../app/ipc/contract';
import type { DocumentSummary, ModelInfo } from '../../app/ipc/views';
import type { RetentionView } from '../../app/ipc/retention-view';
import { openHeadlessApp } from '../app-service/headless-app';
import type { SampleDoc, SampleQuestion } from './samples-meta';
import {
  benchSettings,
  scoreReply,
  type AnswerResult,
  type BenchSetting,
  type QuestionResult,
  type SettingId,
} from './samples-score';
import { documentTiming, type DocumentTiming, type TimedProgress } from './samples-timing';

export interface RunSamplesOptions {
  modelDir: string;
  docs: readonly SampleDoc[];
  method: BenchSetting['method'];
  budget: number;
  maxNewTokens: number;
  log: (message: string) => void;
}

export interface DocumentResult {
  name: string;
  title: string;
  /** What the app read: extracted pages and characters, ingestion warnings. */
  pages: number;
  chars: number;
  ingestWarnings: string[];
  /** The JSON's token count (for comparison with the prompt the model saw). */
  tokensInJson: number;
  /** document:open, i.e. reading the PDF (pdf.js extraction, layout) into the library. */
  openMs: number;
  timing: DocumentTiming;
  /** Warnings of the compressed setting's selection (e.g. CompressKV without calibration). */
  selectionWarnings: string[];
  questions: QuestionResult[];
}

export interface SamplesRun {
  model: ModelInfo;
  settings: BenchSetting[];
  documents: DocumentResult[];
}

export async function runSamples(o: RunSamplesOptions): Promise<SamplesRun> {
  const settings = benchSettings(o.method, o.budget);
  const { service, model } = await openHeadlessApp(o.modelDir, { maxNewTokens: o.maxNewTokens });
  const progress: TimedProgress[] = [];
  const views: RetentionView[] = [];
  service.onEvent((channel, payload) => {
    if (channel === 'chat:onProgress') {
      const p = payload as { label: string; done: number; total: number };
      progress.push({ at: performance.now(), label: p.label, done: p.done, total: p.total });
    } else if (channel === 'retention:onUpdate') {
      views.push(payload as RetentionView);
    }
  });
  try {
    o.log(
      `model ${model.dir} (${model.family}, ${model.numLayers} layers, ${model.numHeads}/${model.numKvHeads} heads, calibration ${model.calibration})`,
    );
    const documents: DocumentResult[] = [];
    let task = 0;
    for (const doc of o.docs) {
      const t0 = performance.now();
      const summary = (await service.dispatch('document:open', {
        source: { kind: 'path', path: doc.path },
        password: null,
        taskId: `bench-open-${++task}`,
      })) as DocumentSummary;
      const openMs = performance.now() - t0;
      o.log(
        `${doc.name}: opened in ${openMs.toFixed(0)} ms (${summary.pages} pages, ${summary.chars} chars); asking ${doc.questions.length} questions x ${settings.length} settings`,
      );
      const questions: QuestionResult[] = [];
      const warnings = new Set<string>();
      let timing: DocumentTiming | null = null;
      for (const [i, q] of doc.questions.entries()) {
        const answers = {} as Record<SettingId, AnswerResult>;
        for (const setting of settings) {
          const first = timing === null;
          progress.length = 0;
          views.length = 0;
          const askedAt = performance.now();
          const result = (await service.dispatch('chat:ask', {
            documentId: summary.id,
            conversationId: null,
            question: q.question,
            method: setting.method,
            budget: setting.budget,
            taskId: `bench-ask-${++task}`,
          })) as AskResult;
          const wallMs = performance.now() - askedAt;
          if (first) timing = documentTiming(progress, summary.name, askedAt);
          if (setting.id === 'compressed') {
            for (const v of views) for (const w of v.warnings) warnings.add(w);
          }
          answers[setting.id] = answerResult(result, q, wallMs, first);
        }
        questions.push({ ...q, answers });
        const marks = settings.map((s) => (answers[s.id].right ? 'right' : 'wrong')).join(' / ');
        o.log(`  ${i + 1}/${doc.questions.length} ${marks}: ${q.question}`);
      }
      documents.push({
        name: doc.name,
        title: doc.title,
        pages: summary.pages,
        chars: summary.chars,
        ingestWarnings: summary.warnings,
        tokensInJson: doc.tokens,
        openMs,
        timing: timing ?? documentTiming([], summary.name, 0),
        selectionWarnings: [...warnings],
        questions,
      });
      // As closing the document in the app: frees its prefilled session before the next one.
      await service.dispatch('document:close', { documentId: summary.id });
    }
    return { model, settings, documents };
  } finally {
    service.dispose();
  }
}

function answerResult(
  result: AskResult,
  expected: SampleQuestion,
  wallMs: number,
  prefilledDocument: boolean,
): AnswerResult {
  const a = result.answer;
  const s = a.stats;
  if (a.status !== 'done' || !s) {
    throw new KvLensError(
      'internal',
      `The answer ended "${a.status}"${a.error ? `: ${a.error}` : ''} (expected "done").`,
    );
  }
  return {
    text: a.text,
    ...scoreReply(expected.answer, expected.reply, a.text),
    generatedTokens: s.generatedTokens,
    promptTokens: s.promptTokens,
    keptTokens: s.keptTokens,
    timeToFirstTokenMs: s.timeToFirstTokenMs,
    prefillTokensPerSecond: s.prefillTokensPerSecond,
    decodeTokensPerSecond: s.decodeTokensPerSecond,
    wallMs,
    prefilledDocument,
    provider: s.provider,
  };
}
