/**
 * One document read by one model (architecture.md, "The path of one question"): the document
 * prefix is prefilled ONCE and its full KV cache kept; each question only prefills its suffix on
 * top of a copy, with window scores, then compresses to a budget and decodes. A new method or
 * budget re-selects from the stored scores with no forward pass, and `regenerate` decodes again
 * from the stored full prompt cache.
 *
 * The prefix cache holds all but the last W prefix tokens. Those W tokens are prefilled again
 * with every question (a few tokens, usually in the same chunk as the question): the window is
 * the last W rows of the WHOLE prompt, and a question shorter than W tokens would otherwise
 * need window rows that were already run; it also keeps H2O's all-rows sums exact.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkContextWindow } from '../../../app/documents/context-check';
import { KvLensError } from '../../../app/errors';
import type { Calibration } from '../../../app/kv/kept-positions';
import type { KvMethod } from '../../../app/kv/methods';
import { resolvePolicyOptions, type PolicyOptions } from '../../../app/kv/policy-options';
import type { ModelSpec } from '../../../app/model/model-spec';
import type { GeneratedToken } from '../generation/generate';
import { prefill, type PrefillProgress } from '../generation/prefill';
import type { SamplingOptions } from '../generation/sampling';
import type { KvCache } from '../kv/kv-cache';
import type { ScoreInput } from '../kv/score-input';
import type { ModelSession } from '../runtime/model-session';
import { buildDocumentPrompt, type DocumentPrompt } from '../tokenizer/document-prompt';
import type { DocumentPromptOptions } from '../tokenizer/document-prompt';
import type { ModelTokenizer } from '../tokenizer/model-tokenizer';
import { DEFAULT_DECODE_TOKENS } from './decode-from';
import { documentSpans, type DocumentSpans } from './document-spans';
import { decodeAnswer, type Answer, type StoredQuestion } from './answer';
import { selectionView, type SelectionView } from './selection-view';
import { readKvFile, writeKvFile } from './kv-spill';
import { scoredPrefill } from './scored-prefill';

/** What a document session needs of a loaded model (LoadedModel has it). */
export interface DocumentModel {
  session: ModelSession;
  tokenizer: ModelTokenizer;
  spec: ModelSpec;
}

export interface DocumentSessionOptions {
  chunkSize?: number;
  /** Policy knobs; `window` is fixed for the session (the scores are computed for it). */
  policy?: Partial<PolicyOptions>;
  /** CompressKV calibration (heads, layer scores); missing parts fall back with a warning. */
  calibration?: Calibration;
  /**
   * Keep every token of the question turn (policy `keptTail` = its length), so that compression
   * only chooses among document tokens. The app sets it; without it the selection is
   * compresskv.md's as written (only the last W tokens are kept whatever their score).
   */
  keepQuestion?: boolean;
  /** Answer tokens reserved by the context check before the prefix prefill (default 256). */
  maxNewTokens?: number;
  /** Shown in context-check messages. */
  documentName?: string;
  prompt?: DocumentPromptOptions;
  signal?: AbortSignal;
  onProgress?: (p: PrefillProgress) => void;
}

export interface DecodeRequest {
  maxNewTokens?: number;
  sampling?: SamplingOptions;
  signal?: AbortSignal;
}

export interface AskOptions extends DecodeRequest {
  method: KvMethod;
  budget: number;
  onProgress?: (p: PrefillProgress) => void;
}

export class DocumentSession {
  private current: StoredQuestion | null = null;
  private busy = false;
  private disposed = false;
  /** Set while the prefix cache lives on disk instead of in `prefixCache`. */
  private spillFile: string | null = null;

  private constructor(
    private readonly model: DocumentModel,
    readonly prompt: DocumentPrompt,
    /** Token ids of the whole document prefix (chat template included). */
    readonly prefixIds: readonly number[],
    /** Prefix positions -> document characters. */
    readonly spans: DocumentSpans,
    private prefixCache: KvCache | null,
    /** Prefix tokens held by the prefix cache (all but the last W). */
    private readonly heldTokens: number,
    private readonly prefixAccumulated: Float32Array[],
    private readonly options: DocumentSessionOptions,
    readonly policy: PolicyOptions,
    /** Time of the one prefix prefill. */
    readonly prefixMs: number,
  ) {}

  /** Checks the context window, then prefills the document prefix (chunked, cancellable). */
  static async open(
    model: DocumentModel,
    document: string,
    o: DocumentSessionOptions = {},
  ): Promise<DocumentSession> {
    const policy = resolvePolicyOptions(o.policy);
    const prompt = buildDocumentPrompt(model.tokenizer, document, o.prompt);
    const { ids, spans } = prompt.encodePrefix();
    checkContextWindow({
      documentTokens: ids.length,
      maxNewTokens: o.maxNewTokens ?? DEFAULT_DECODE_TOKENS,
      contextLength: model.spec.maxPositionEmbeddings,
      ...(o.documentName ? { documentName: o.documentName } : {}),
    });
    const { session } = model;
    const held = ids.length - Math.min(policy.window, ids.length);
    const cache = session.emptyCache();
    try {
      let accumulated: Float32Array[];
      let ms = 0;
      if (held > 0) {
        // Every row selected: the scores are the prefix rows' accumulated attention (H2O).
        const pre = await prefill(session, cache, ids.slice(0, held), {
          window: held,
          ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        });
        accumulated = pre.scores!.layers.map((l) => l.window);
        ms = pre.ms;
      } else {
        accumulated = Array.from({ length: session.dims.numLayers }, () => new Float32Array(0));
      }
      const docSpans = documentSpans(spans, prompt.documentRange, document, ids.length);
      return new DocumentSession(
        model,
        prompt,
        ids,
        docSpans,
        cache,
        held,
        accumulated,
        o,
        policy,
        ms,
      );
    } catch (err) {
      cache.dispose();
      throw err;
    }
  }

  /** Prompt tokens before the question (document + template). */
  get documentTokens(): number {
    return this.prefixIds.length;
  }

  /** The stored scores of the last question, or null before the first one. */
  get questionScores(): ScoreInput | null {
    return this.current?.scores ?? null;
  }

  /** The last question's text and prompt length, or null. */
  get lastQuestion(): { question: string; promptTokens: number } | null {
    const q = this.current;
    return q ? { question: q.question, promptTokens: q.scores.T } : null;
  }

  /**
   * Prefills the question suffix on a copy of the prefix cache, stores its scores and full
   * cache (replacing the previous question's), compresses to `budget` and streams the answer.
   */
  async *ask(question: string, o: AskOptions): AsyncGenerator<GeneratedToken, Answer, undefined> {
    this.enter();
    try {
      const suffix = this.prompt.encodeSuffix(question);
      checkContextWindow({
        documentTokens: this.prefixIds.length,
        promptTokens: suffix.length,
        maxNewTokens: o.maxNewTokens ?? DEFAULT_DECODE_TOKENS,
        contextLength: this.model.spec.maxPositionEmbeddings,
        ...(this.options.documentName ? { documentName: this.options.documentName } : {}),
      });
      this.dropQuestion();
      const ids = [...this.prefixIds.slice(this.heldTokens), ...suffix];
      const cache = this.prefixCache
        ? this.prefixCache.clone({ reserve: ids.length })
        : readKvFile(this.spillFile!, ids.length);
      try {
        const pre = await scoredPrefill(this.model.session, cache, ids, {
          window: this.policy.window,
          priorAccumulated: this.prefixAccumulated,
          ...(this.options.chunkSize ? { chunkSize: this.options.chunkSize } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        });
        this.current = {
          question,
          questionTokens: suffix.length,
          scores: pre.scores,
          logits: pre.logits,
          full: cache,
          prefillMs: pre.ms,
          prefilledTokens: ids.length,
        };
      } catch (err) {
        cache.dispose();
        throw err;
      }
      const view = this.reselect(o.method, o.budget);
      return yield* decodeAnswer(this.model, this.current, view, o, true);
    } finally {
      this.busy = false;
    }
  }

  /**
   * A new selection and retention map from the stored scores: no forward pass, milliseconds.
   * `policy` may change any knob but the window (the scores were computed for it).
   */
  reselect(method: KvMethod, budget: number, policy: Partial<PolicyOptions> = {}): SelectionView {
    const q = this.question();
    if (policy.window !== undefined && policy.window !== this.policy.window) {
      throw new KvLensError(
        'invalid-argument',
        `The window is fixed at ${this.policy.window} for this document (its scores were computed for it); open the document again to change it.`,
      );
    }
    const tail = this.options.keepQuestion ? { keptTail: q.questionTokens } : {};
    return selectionView(q.scores, this.spans, this.model.session.dims, {
      method,
      budget,
      policy: { ...this.policy, ...tail, ...policy },
      ...(this.options.calibration ? { calibration: this.options.calibration } : {}),
    });
  }

  /** Decodes the last question again with a new selection: no prefill of the question. */
  async *regenerate(
    method: KvMethod,
    budget: number,
    o: DecodeRequest = {},
  ): AsyncGenerator<GeneratedToken, Answer, undefined> {
    this.enter();
    try {
      const q = this.question();
      const view = this.reselect(method, budget);
      return yield* decodeAnswer(this.model, q, view, o, false);
    } finally {
      this.busy = false;
    }
  }

  /** True while the prefix cache is on disk (see spill). */
  get spilled(): boolean {
    return this.spillFile !== null;
  }

  /**
   * Moves the prefix cache to a file in `dir` and frees its memory; each later question reads
   * it back (a sequential read, no forward pass). The last question's cache is dropped too, so
   * re-selection and regeneration need a new question. dispose() deletes the file.
   */
  spill(dir: string): void {
    if (this.disposed) throw new Error('DocumentSession used after dispose()');
    if (this.busy) {
      throw new KvLensError('invalid-argument', 'This document is answering; spill it afterwards.');
    }
    if (!this.prefixCache) return;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `prefix-${randomUUID()}.kv`);
    writeKvFile(this.prefixCache, file);
    this.spillFile = file;
    this.prefixCache.dispose();
    this.prefixCache = null;
    this.dropQuestion();
  }

  /** Frees the prefix cache and the last question's cache (and deletes a spilled file). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dropQuestion();
    this.prefixCache?.dispose();
    this.prefixCache = null;
    if (this.spillFile) rmSync(this.spillFile, { force: true });
    this.spillFile = null;
  }

  private question(): StoredQuestion {
    if (this.disposed) throw new Error('DocumentSession used after dispose()');
    if (!this.current) {
      throw new KvLensError(
        'invalid-argument',
        'No question has been asked about this document yet; ask one before re-selecting.',
      );
    }
    return this.current;
  }

  private enter(): void {
    if (this.disposed) throw new Error('DocumentSession used after dispose()');
    if (this.busy) {
      throw new KvLensError(
        'invalid-argument',
        'This document is already answering; wait for the answer or cancel it first.',
      );
    }
    this.busy = true;
  }

  private dropQuestion(): void {
    this.current?.full.dispose();
    this.current = null;
  }
}
