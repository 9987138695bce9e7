/**
 * Plain-data forms of what the engine produced: stored messages, the stats panel's figures and
 * the retention view the heatmap draws.
 */
import type { ChatMessage, ChatStats } from '../../../app/chat/chat-types';
import type { CompressionMethod } from '../../../app/chat/compression-methods';
import type { RetentionView } from '../../../app/ipc/retention-view';
import type { Answer } from '../../engine/document-session/answer';
import type { SelectionView } from '../../engine/document-session/selection-view';
import type { LoadedModel } from '../../engine/load-model';
import type { PooledSession } from './session-pool';

export function userMessage(text: string): ChatMessage {
  return {
    id: `msg-${crypto.randomUUID()}`,
    role: 'user',
    text,
    createdAt: Date.now(),
    status: 'done',
    method: null,
    budget: null,
    stats: null,
    error: null,
  };
}

/**
 * Figures of one answer. The prefill rate counts the document prefix too when this answer had
 * to prefill it; time to first token runs from the question's arrival (model load included).
 */
export function chatStats(
  answer: Answer,
  loaded: LoadedModel,
  prefixMs: number,
  timeToFirstTokenMs: number,
): ChatStats {
  const s = answer.stats;
  const r = s.retention;
  const prefixTokens = prefixMs > 0 ? s.documentTokens : 0;
  const prefillMs = prefixMs + s.prefillMs;
  return {
    promptTokens: s.promptTokens,
    keptTokens: r.tokensKept,
    fullTokens: s.promptTokens * loaded.spec.numLayers,
    fullKvBytes: r.kvBytesFull,
    compressedKvBytes: r.kvBytesCompressed,
    generatedTokens: s.newTokens,
    timeToFirstTokenMs: Math.max(0, timeToFirstTokenMs),
    prefillTokensPerSecond:
      prefillMs > 0 ? ((prefixTokens + s.prefilledTokens) * 1000) / prefillMs : 0,
    decodeTokensPerSecond: s.decodeTokensPerSecond,
    provider: loaded.provider.provider,
    providerNote: loaded.provider.fallbackReason ?? null,
  };
}

/**
 * The heatmap's view of a selection. The token layout (document tokens -> characters) is sent
 * only when asked for: it is the large part and does not change with method or budget.
 */
export function retentionView(
  conversationId: string,
  entry: PooledSession,
  view: SelectionView,
  budget: number,
  withLayout: boolean,
): RetentionView {
  const spans = entry.session.spans;
  const first = spans.firstToken;
  const count = Math.max(0, spans.endToken - first);
  const key = entry.key;
  let layout = null;
  if (withLayout) {
    const out = new Int32Array(2 * count);
    for (let i = 0; i < count; i++) {
      out[2 * i] = spans.start[first + i]!;
      out[2 * i + 1] = spans.end[first + i]!;
    }
    layout = { key, docTokenStart: first, spans: out };
  }
  return {
    conversationId,
    method: view.request.method as CompressionMethod,
    budget,
    map: view.retention,
    warnings: view.summary.warnings,
    layoutKey: key,
    layout,
  };
}
