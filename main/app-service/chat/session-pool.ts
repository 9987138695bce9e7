/**
 * The prefilled documents held in memory: one engine DocumentSession per (document, model),
 * the few most recent kept (each holds a full KV cache of its document prefix). Also records
 * which conversation asked the question whose scores a session holds, since re-selection and
 * regeneration work from those stored scores.
 */
import type { LoadedModel } from '../../engine/load-model';
import type { DocumentSession } from '../../engine/document-session/document-session';

/** Prefilled documents kept in memory at once. */
const MAX_SESSIONS = 2;

export interface PooledSession {
  key: string;
  documentId: string;
  model: LoadedModel;
  session: DocumentSession;
  /** Conversation whose last question the session's stored scores belong to. */
  owner: string | null;
}

export class SessionPool {
  private readonly entries: PooledSession[] = [];

  /** The session for (document, model) if it was built on this loaded model; marks it recent. */
  find(documentId: string, modelId: string, model: LoadedModel): PooledSession | null {
    const key = `${documentId}:${modelId}`;
    const index = this.entries.findIndex((e) => e.key === key && e.model === model);
    if (index < 0) return null;
    const [entry] = this.entries.splice(index, 1);
    this.entries.push(entry!);
    return entry!;
  }

  /** The session holding `conversationId`'s last question, if any. */
  ownedBy(conversationId: string): PooledSession | null {
    return this.entries.find((e) => e.owner === conversationId) ?? null;
  }

  /** Adds a session; drops the ones of another loaded model (stale) and the oldest past the cap. */
  add(entry: PooledSession): void {
    this.drop((e) => e.model !== entry.model || e.key === entry.key);
    this.entries.push(entry);
    while (this.entries.length > MAX_SESSIONS) this.entries.shift()!.session.dispose();
  }

  /** Disposes and removes every session matching `predicate`. */
  drop(predicate: (e: PooledSession) => boolean): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (predicate(this.entries[i]!)) this.entries.splice(i, 1)[0]!.session.dispose();
    }
  }

  dispose(): void {
    this.drop(() => true);
  }
}
