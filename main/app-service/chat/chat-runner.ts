/**
 * Questions, answers and retention for the app, on the engine's DocumentSession: the document
 * prefix is prefilled once per (document, model); a question prefills only its suffix, then is
 * compressed to the budget and decoded with tokens streamed as events. Re-selection and
 * regeneration reuse the stored scores and full cache (no forward pass for re-selection, no
 * prefill for regeneration). One generation runs at a time: the session is not re-entrant.
 */
import { CancelledError, KvLensError } from '../../../app/errors';
import type { ChatMessage } from '../../../app/chat/chat-types';
import type { CompressionMethod } from '../../../app/chat/compression-methods';
import type { IngestedDocument } from '../../../app/documents/document';
import type { AskResult, EmitEvent, RequestArgs } from '../../../app/ipc/contract';
import type { ModelInfo, Progress } from '../../../app/ipc/views';
import type { RetentionView } from '../../../app/ipc/retention-view';
import { DocumentSession } from '../../engine/document-session/document-session';
import type { Answer } from '../../engine/document-session/answer';
import type { GeneratedToken } from '../../engine/generation/generate';
import { loadCalibration } from '../../engine/calibration/calibration-folder';
import type { LoadedModel } from '../../engine/load-model';
import type { ConversationBook } from '../conversation-book';
import type { DocumentLibrary } from '../document-library';
import type { ModelRegistry } from '../model-registry';
import type { AppSettings } from '../app-settings';
import type { TaskHandle, TaskRegistry } from '../task-registry';
import { ModelHost } from './model-host';
import { SessionPool, type PooledSession } from './session-pool';
import { chatStats, retentionView, userMessage } from './answer-message';
import { toChatMessage } from '../conversation-book';
import { runCalibration } from './run-calibration';

export interface ChatRunnerDeps {
  models: ModelRegistry;
  settings: AppSettings;
  documents: DocumentLibrary;
  conversations: ConversationBook;
  tasks: TaskRegistry;
  emit: EmitEvent;
}

interface Job {
  conversationId: string;
  documentId: string;
  doc: IngestedDocument;
  model: ModelInfo;
  question: string;
  method: CompressionMethod;
  budget: number;
  taskId: string;
  /** Regenerate: decode the stored question again when the session still holds it. */
  reuse: boolean;
}

export class ChatRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly host = new ModelHost();
  private readonly pool = new SessionPool();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ChatRunnerDeps) {}

  async ask(args: RequestArgs<'chat:ask'>): Promise<AskResult> {
    const { conversations, documents, models, settings } = this.deps;
    const doc = await documents.load(args.documentId);
    const conversation = args.conversationId
      ? conversations.get(args.conversationId)
      : conversations.create(
          args.documentId,
          models.resolve(settings.get().activeModelId).id,
          args.question,
        );
    if (conversation.documentId !== args.documentId) {
      throw new KvLensError('invalid-argument', 'That conversation is about another document.');
    }
    const question = userMessage(args.question);
    conversations.append(conversation.id, question);
    const answer = await this.answer({
      ...args,
      conversationId: conversation.id,
      doc,
      model: models.get(conversation.modelId),
      reuse: false,
    });
    return { conversationId: conversation.id, question, answer };
  }

  async regenerate(args: RequestArgs<'chat:regenerate'>): Promise<AskResult> {
    const { conversations, documents, models } = this.deps;
    const conversation = conversations.get(args.conversationId);
    const question = conversation.messages.findLast((m) => m.role === 'user');
    if (!question) {
      throw new KvLensError('not-found', 'This conversation has no question to answer again.');
    }
    conversations.dropLastAnswer(conversation.id);
    const answer = await this.answer({
      ...args,
      documentId: conversation.documentId,
      doc: await documents.load(conversation.documentId),
      model: models.get(conversation.modelId),
      question: question.text,
      reuse: true,
    });
    return { conversationId: conversation.id, question, answer };
  }

  /** Re-selects from the stored scores of the conversation's last question: no forward pass. */
  async select(args: RequestArgs<'retention:select'>): Promise<RetentionView> {
    const entry = this.pool.ownedBy(args.conversationId);
    if (!entry) {
      throw new KvLensError(
        'not-found',
        'No attention scores for this conversation in memory: ask a question or regenerate first.',
      );
    }
    if (!entry.session.lastQuestion) {
      throw new KvLensError('not-found', 'The last question was not finished; ask it again.');
    }
    const view = entry.session.reselect(args.method, args.budget);
    return retentionView(args.conversationId, entry, view, args.budget, args.withLayout);
  }

  async calibrate(modelId: string, taskId: string): Promise<ModelInfo> {
    const { models, tasks, emit, settings } = this.deps;
    const model = models.get(modelId);
    await runCalibration(model, taskId, tasks, models, settings.get().executionProvider, (p) =>
      emit('model:onProgress', p),
    );
    // Sessions hold the calibration they were opened with: reopen with the new one.
    this.pool.drop((e) => e.key.endsWith(`:${modelId}`));
    return models.get(modelId);
  }

  /** Stops the generation of one conversation (or all when null); false when none ran. */
  stop(conversationId: string | null): boolean {
    let stopped = false;
    for (const [id, controller] of this.running) {
      if (conversationId === null || id === conversationId) {
        controller.abort();
        stopped = true;
      }
    }
    return stopped;
  }

  forgetDocument(documentId: string): void {
    for (const c of this.deps.conversations.list(documentId)) this.stop(c.id);
    this.pool.drop((e) => e.documentId === documentId);
  }

  unavailable(): { feature: string; reason: string }[] {
    return [];
  }

  dispose(): void {
    this.stop(null);
    this.pool.dispose();
    void this.host.release();
  }

  /** Runs one answer, queued behind any generation already running. */
  private answer(job: Job): Promise<ChatMessage> {
    const controller = new AbortController();
    this.running.get(job.conversationId)?.abort();
    this.running.set(job.conversationId, controller);
    const progress = (p: Progress) => this.deps.emit('chat:onProgress', p);
    const run = this.queue.then(() =>
      this.deps.tasks.run(job.taskId, 'prefill', 'Answering', 'tokens', progress, (task) =>
        this.generate(job, task, controller.signal),
      ),
    );
    this.queue = run.catch(() => {});
    return run.finally(() => {
      if (this.running.get(job.conversationId) === controller)
        this.running.delete(job.conversationId);
    });
  }

  private async generate(job: Job, task: TaskHandle, stop: AbortSignal): Promise<ChatMessage> {
    const { conversations, settings, emit } = this.deps;
    const signal = AbortSignal.any([task.signal, stop]);
    const started = performance.now();
    const maxNewTokens = settings.get().maxNewTokens;
    // Saved while it streams: a crash keeps what was written (recovered as 'stopped').
    const writer = conversations.beginAnswer(job.conversationId, job.method, job.budget);
    const messageId = writer.message.id;
    const finish = (...a: Parameters<typeof writer.finish>): ChatMessage =>
      toChatMessage(writer.finish(...a) ?? { ...writer.message, status: a[0] });
    try {
      if (signal.aborted) throw new CancelledError('Generation');
      const loaded = await this.host.get(job.model.dir, settings.get().executionProvider, task);
      const { entry, prefixMs } = await this.session(job, loaded, maxNewTokens, task, signal);
      const o = { method: job.method, budget: job.budget, maxNewTokens, signal };
      const reuse = job.reuse && entry.owner === job.conversationId;
      const stream = reuse
        ? entry.session.regenerate(job.method, job.budget, o)
        : entry.session.ask(job.question, {
            ...o,
            onProgress: (p) => task.progress(p.done, p.total, 'Reading the question', 'tokens'),
          });
      // A new question replaces the session's stored scores: until it is prefilled they belong
      // to nobody (a failed prefill must not leave another conversation pointing at them).
      if (!reuse) entry.owner = null;
      let firstTokenAt = 0;
      let pieces = 0;
      let answer: Answer;
      for (;;) {
        const step: IteratorResult<GeneratedToken, Answer> = await stream.next();
        entry.owner = job.conversationId;
        if (step.done) {
          answer = step.value;
          // The last report counts every token (reports come every 8 while the answer streams).
          task.progress(answer.stats.newTokens, maxNewTokens);
          break;
        }
        if (step.value.index === 0) {
          firstTokenAt = performance.now();
          task.progress(1, maxNewTokens, 'Writing the answer', 'tokens');
          // The heatmap shows the selection while the answer streams (re-selection is cheap).
          const view = entry.session.reselect(job.method, job.budget);
          emit(
            'retention:onUpdate',
            retentionView(job.conversationId, entry, view, job.budget, true),
          );
        } else if (step.value.index % 8 === 0) {
          task.progress(step.value.index + 1, maxNewTokens);
        }
        if (step.value.text) {
          writer.append(step.value.text);
          const t = {
            conversationId: job.conversationId,
            messageId,
            index: pieces++,
            text: step.value.text,
          };
          emit('chat:onToken', t);
        }
      }
      return finish('done', chatStats(answer, loaded, prefixMs, firstTokenAt - started), null);
    } catch (err) {
      if (
        err instanceof CancelledError ||
        (err instanceof KvLensError && err.code === 'cancelled')
      ) {
        return finish('stopped');
      }
      finish('error', null, err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      writer.dispose();
    }
  }

  /** The DocumentSession for (document, model): prefilled once, with progress and cancel. */
  private async session(
    job: Job,
    loaded: LoadedModel,
    maxNewTokens: number,
    task: TaskHandle,
    signal: AbortSignal,
  ): Promise<{ entry: PooledSession; prefixMs: number }> {
    const found = this.pool.find(job.documentId, job.model.id, loaded);
    if (found) return { entry: found, prefixMs: 0 };
    const calibration = await loadCalibration(job.model.dir);
    const label = `Reading ${job.doc.name} into the model`;
    task.progress(0, 0, label, 'tokens');
    const session = await DocumentSession.open(loaded, job.doc.text, {
      maxNewTokens,
      documentName: job.doc.name,
      // Compression chooses among the document's tokens; the question itself always stays.
      keepQuestion: true,
      signal,
      onProgress: (p) => task.progress(p.done, p.total, label, 'tokens', p.etaMs),
      ...(calibration ? { calibration } : {}),
    });
    const entry: PooledSession = {
      key: `${job.documentId}:${job.model.id}`,
      documentId: job.documentId,
      model: loaded,
      session,
      owner: null,
    };
    this.pool.add(entry);
    return { entry, prefixMs: session.prefixMs };
  }
}
