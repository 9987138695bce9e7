/**
 * `ask FILE QUESTION [QUESTION ...] [--model DIR|default] [--method M] [--budget B]
 *  [--max-new-tokens N] [--password P] [--provider P] [--separate] [--passage TEXT] --json`
 * -> {"document":{...},"model":{...},"method","budget","answers":[{"question","reply",
 *     "conversationId","stats"[,"passage"]}]}
 *
 * The app's main job without its window: opens a PDF, text or Markdown file as File > Open does
 * (pdf.js extraction and layout), then asks the questions as the chat panel does (the document
 * prefilled once, the cache compressed after each question with the chosen method and budget,
 * greedy decoding). Later questions are stored in the first one's conversation, as follow-ups
 * in the app (each is answered from the document and its own question); --separate asks each in
 * a new conversation. --passage TEXT also reports, per answer, which of that passage's tokens
 * each layer's compressed cache kept (passage-retention.ts). Method and budget default to the
 * app's own defaults. Progress on stderr;
 * Ctrl-C stops the running step and exits with "cancelled".
 */
import { existsSync } from 'node:fs';
import { KvLensError } from '../../../app/errors';
import { COMPRESSION_METHODS, MIN_BUDGET } from '../../../app/chat/compression-methods';
import type { AskResult } from '../../../app/ipc/contract';
import type { DocumentContent, DocumentSummary, Progress } from '../../../app/ipc/views';
import type { RetentionView, TokenLayout } from '../../../app/ipc/retention-view';
import { EXECUTION_PROVIDERS } from '../../../app/settings/settings';
import { openHeadlessApp } from '../../app-service/headless-app';
import { STORED_SETTINGS_DEFAULTS } from '../../store/repositories/settings-rules';
import { choiceFlag, intFlag, parseArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { resolveModelDir } from './calibrate';
import {
  passageRetention,
  passageRetentionText,
  passageStart,
  type PassageRetention,
} from './passage-retention';

const USAGE =
  'ask FILE QUESTION [QUESTION ...] [--model DIR|default] [--method M] [--budget B] [--max-new-tokens N] [--password P] [--provider auto|cpu|cuda|dml|coreml|webgpu] [--separate] [--passage TEXT]';

export const askCommand: CliCommand = {
  name: 'ask',
  usage: USAGE,
  summary:
    'Open a PDF, text or Markdown file as the app does and ask it questions; prints each reply and its cache figures.',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['model', 'method', 'budget', 'max-new-tokens', 'password', 'provider', 'passage'],
      booleans: ['separate'],
    });
    const [file, ...questions] = args.positionals;
    if (file === undefined || questions.length === 0) {
      throw new KvLensError('usage', `ask takes a FILE and at least one QUESTION. Usage: ${USAGE}`);
    }
    const empty = questions.findIndex((q) => q.trim() === '');
    if (empty >= 0) throw new KvLensError('usage', `Question ${empty + 1} is empty.`);
    if (!existsSync(file)) {
      throw new KvLensError(
        'not-found',
        `${file} does not exist; give the path of a PDF, text or Markdown file.`,
      );
    }
    const method = choiceFlag(
      args,
      'method',
      COMPRESSION_METHODS.map((m) => m.id),
      STORED_SETTINGS_DEFAULTS.defaultMethod,
    );
    const budget = intFlag(args, 'budget', STORED_SETTINGS_DEFAULTS.defaultBudget, MIN_BUDGET);
    const maxNewTokens = intFlag(args, 'max-new-tokens', STORED_SETTINGS_DEFAULTS.maxNewTokens, 1);
    const executionProvider = choiceFlag(
      args,
      'provider',
      EXECUTION_PROVIDERS,
      STORED_SETTINGS_DEFAULTS.executionProvider,
    );
    const modelDir = resolveModelDir(args.values.get('model') ?? 'default');
    const passage = args.values.get('passage');

    const { service, model } = await openHeadlessApp(modelDir, { maxNewTokens, executionProvider });
    const warnings = new Set<string>();
    const layouts = new Map<string, TokenLayout>();
    let lastView: RetentionView | null = null;
    const progress = progressLogger(io);
    service.onEvent((channel, payload) => {
      if (channel === 'document:onProgress' || channel === 'chat:onProgress') {
        progress(payload as Progress);
      } else if (channel === 'retention:onUpdate') {
        lastView = payload as RetentionView;
        if (lastView.layout) layouts.set(lastView.layoutKey, lastView.layout);
        for (const w of lastView.warnings) {
          if (!warnings.has(w)) io.log(`warning: ${w}`);
          warnings.add(w);
        }
      }
    });
    // Ctrl-C: cancel whatever runs now (reading the document, the prefill, or the answer).
    let taskId = '';
    let conversationId: string | null = null;
    const stop = () => {
      void service.dispatch('task:cancel', { taskId }).catch(() => undefined);
      void service.dispatch('chat:stop', { conversationId }).catch(() => undefined);
    };
    io.signal.addEventListener('abort', stop);
    try {
      taskId = 'cli-open';
      const doc = (await service.dispatch('document:open', {
        source: { kind: 'path', path: file },
        password: args.values.get('password') ?? null,
        taskId,
      })) as DocumentSummary;
      io.log(`${doc.name}: ${doc.pages} page(s), ${doc.chars} characters; model ${model.name}`);
      for (const w of doc.warnings) io.log(`warning: ${w}`);
      let text = '';
      if (passage !== undefined) {
        text = ((await service.dispatch('document:get', { documentId: doc.id })) as DocumentContent)
          .text;
        passageStart(text, passage); // before any question is asked
      }
      const answers: AnswerOut[] = [];
      for (const [i, question] of questions.entries()) {
        throwIfCancelled(io);
        taskId = `cli-ask-${i + 1}`;
        lastView = null;
        const result = (await service.dispatch('chat:ask', {
          documentId: doc.id,
          conversationId: args.booleans.has('separate') ? null : conversationId,
          question,
          method,
          budget,
          taskId,
        })) as AskResult;
        conversationId = result.conversationId;
        const answer = checkedAnswer(result, question, io);
        if (passage !== undefined) answer.passage = keptPassage(lastView, layouts, text, passage);
        answers.push(answer);
      }
      const json = {
        document: {
          name: doc.name,
          kind: doc.kind,
          pages: doc.pages,
          chars: doc.chars,
          warnings: doc.warnings,
        },
        model: {
          name: model.name,
          dir: model.dir,
          family: model.family,
          calibration: model.calibration,
        },
        method,
        budget,
        answers,
        selectionWarnings: [...warnings],
      };
      return { json, text: answers.map(answerText).join('\n\n') };
    } finally {
      io.signal.removeEventListener('abort', stop);
      service.dispose();
    }
  },
};

interface AnswerOut {
  question: string;
  reply: string;
  conversationId: string;
  stats: NonNullable<AskResult['answer']['stats']>;
  passage?: PassageRetention;
}

function keptPassage(
  view: RetentionView | null,
  layouts: ReadonlyMap<string, TokenLayout>,
  text: string,
  passage: string,
): PassageRetention {
  const layout = view && (view.layout ?? layouts.get(view.layoutKey));
  if (!view || !layout) {
    throw new KvLensError('internal', 'The answer came without retention data for --passage.');
  }
  return passageRetention(text, layout, view, passage);
}

function checkedAnswer(result: AskResult, question: string, io: CliIo): AnswerOut {
  const a = result.answer;
  if (a.status === 'stopped' || io.signal.aborted) {
    throw new KvLensError('cancelled', `Stopped while answering "${question}"; nothing was saved.`);
  }
  if (a.status !== 'done' || !a.stats) {
    throw new KvLensError(
      'internal',
      `The answer to "${question}" ended "${a.status}"${a.error ? `: ${a.error}` : ''}.`,
    );
  }
  return { question, reply: a.text, conversationId: result.conversationId, stats: a.stats };
}

function throwIfCancelled(io: CliIo): void {
  if (io.signal.aborted) throw new KvLensError('cancelled', 'Stopped before the next question.');
}

function answerText(a: AnswerOut): string {
  const s = a.stats;
  const kept = `kept ${s.keptTokens.toLocaleString('en-US')} of ${s.fullTokens.toLocaleString('en-US')} KV entries`;
  return (
    `Q: ${a.question}\nA: ${a.reply}\n` +
    `   (${s.promptTokens.toLocaleString('en-US')} prompt tokens, ${kept}, first token ` +
    `${duration(s.timeToFirstTokenMs)}, ${s.decodeTokensPerSecond.toFixed(1)} tokens/s, ${s.provider})` +
    (a.passage ? `\n${passageRetentionText(a.passage)}` : '')
  );
}

/** "41 ms" below a second, "1.3 s" above. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Logs a long task's progress on stderr: each new step, then at most every 2 s, and its end. */
function progressLogger(io: CliIo): (p: Progress) => void {
  let label = '';
  let loggedAt = 0;
  return (p) => {
    const now = Date.now();
    if (p.label === label && !p.finished && now - loggedAt < 2000) return;
    if (p.label === label && p.finished && p.total === 0) return;
    label = p.label;
    loggedAt = now;
    const count = p.total > 0 ? ` ${p.done}/${p.total} ${p.unit}` : '';
    io.log(`${p.label}${count}${p.finished ? ' (done)' : ''}`);
  };
}
