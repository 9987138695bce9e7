/**
 * Open documents, the one being read, and its text for the reading panel.
 */
import { KvLensError } from '../../app/errors';
import type { ApiClient } from '../api/api-client';
import type { DocumentSource } from '../../app/ipc/contract';
import type { DocumentContent, DocumentSummary, PageLayout } from '../../app/ipc/views';
import type { SliceCreator } from './store-types';
import { newTaskId } from './task-id';

export interface DocumentSlice {
  documents: DocumentSummary[];
  activeDocumentId: string | null;
  content: DocumentContent | null;
  /** Task id of the ingestion in progress (for its progress bar and Cancel). */
  openingTaskId: string | null;
  /** An encrypted PDF waiting for its password (the form shows while this is set). */
  passwordFor: { name: string; source: DocumentSource; wrong: boolean } | null;
  /** Retries the encrypted document with a password; null gives up. */
  submitPassword(password: string | null): Promise<void>;
  /** Browser mode: uploads the file's bytes. Desktop: a dropped file is opened by its path. */
  openFile(file: File): Promise<void>;
  openPath(path: string): Promise<void>;
  selectDocument(documentId: string): Promise<void>;
  closeDocument(documentId: string): Promise<void>;
  /** The PDF's bytes for the page view; null after showing why it failed. */
  fetchPdf(documentId: string): Promise<Uint8Array | null>;
  /** One page's character boxes for the page view; null after showing why it failed. */
  fetchPageLayout(documentId: string, page: number): Promise<PageLayout | null>;
}

export function createDocumentSlice(api: ApiClient): SliceCreator<DocumentSlice> {
  return (set, get) => {
    const open = async (source: DocumentSource, password: string | null = null) => {
      const taskId = newTaskId('ingest');
      set({ openingTaskId: taskId, passwordFor: null });
      try {
        const summary = await api.request('document:open', { source, password, taskId });
        set((s) => ({ documents: [summary, ...s.documents.filter((d) => d.id !== summary.id)] }));
        await get().selectDocument(summary.id);
      } catch (err) {
        if (err instanceof KvLensError && err.code === 'encrypted') {
          // Ask for the password instead of a dead-end error.
          const name = source.kind === 'upload' ? source.name : source.path.split(/[\\/]/).pop()!;
          set({ passwordFor: { name, source, wrong: password !== null } });
        } else {
          get().showError(err);
        }
      } finally {
        set({ openingTaskId: null });
      }
    };

    return {
      documents: [],
      activeDocumentId: null,
      content: null,
      openingTaskId: null,
      passwordFor: null,

      async submitPassword(password) {
        const pending = get().passwordFor;
        set({ passwordFor: null });
        if (pending && password !== null) await open(pending.source, password);
      },

      async openFile(file) {
        const path = api.pathForFile(file);
        if (path) return open({ kind: 'path', path });
        const bytes = new Uint8Array(await file.arrayBuffer());
        return open({ kind: 'upload', name: file.name, bytes });
      },
      openPath: (path) => open({ kind: 'path', path }),

      async selectDocument(documentId) {
        try {
          const content = await api.request('document:get', { documentId });
          const conversations = await api.request('conversation:list', { documentId });
          set({ activeDocumentId: documentId, content, conversations });
          get().resetChat();
          const latest = conversations[0];
          if (latest) await get().selectConversation(latest.id);
        } catch (err) {
          get().showError(err);
        }
      },

      async fetchPdf(documentId) {
        try {
          return (await api.request('document:getFile', { documentId })).bytes;
        } catch (err) {
          get().showError(err);
          return null;
        }
      },

      async fetchPageLayout(documentId, page) {
        try {
          return await api.request('document:getPage', { documentId, page });
        } catch (err) {
          get().showError(err);
          return null;
        }
      },

      async closeDocument(documentId) {
        try {
          await api.request('document:close', { documentId });
          const documents = get().documents.filter((d) => d.id !== documentId);
          set({ documents });
          if (get().activeDocumentId === documentId) {
            set({ activeDocumentId: null, content: null, conversations: [] });
            get().resetChat();
            const next = documents[0];
            if (next) await get().selectDocument(next.id);
          }
        } catch (err) {
          get().showError(err);
        }
      },
    };
  };
}
