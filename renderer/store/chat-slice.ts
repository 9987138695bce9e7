/**
 * Conversations, messages and the answer being streamed.
 *
 * Streamed text lives in `stream` and is read by the streaming view through store.subscribe +
 * requestAnimationFrame, so tokens do not re-render the message list.
 */
import type { ApiClient } from '../api/api-client';
import type { TokenEvent } from '../../app/ipc/contract';
import type { ChatMessage, ConversationSummary } from '../../app/chat/chat-types';
import type { SliceCreator } from './store-types';
import { newTaskId } from './task-id';

export interface StreamState {
  messageId: string | null;
  text: string;
}

export interface ChatSlice {
  conversations: ConversationSummary[];
  activeConversationId: string | null;
  messages: ChatMessage[];
  generating: boolean;
  /** Task id of the running ask/regenerate (its prefill progress bar). */
  chatTaskId: string | null;
  stream: StreamState;
  ask(question: string): Promise<void>;
  stop(): Promise<void>;
  regenerate(): Promise<void>;
  selectConversation(conversationId: string): Promise<void>;
  resetChat(): void;
  receiveToken(token: TokenEvent): void;
}

export function createChatSlice(api: ApiClient): SliceCreator<ChatSlice> {
  return (set, get) => {
    let inflight: Promise<void> | null = null;

    const refresh = async (conversationId: string) => {
      const conversation = await api.request('conversation:get', { conversationId });
      const conversations = await api.request('conversation:list', {
        documentId: get().activeDocumentId,
      });
      set({ activeConversationId: conversationId, messages: conversation.messages, conversations });
      // The controls show how the answer on screen was made.
      const last = conversation.messages.findLast(
        (m) => m.role === 'assistant' && m.method !== null,
      );
      if (last?.method && last.budget !== null && !get().generating) {
        set({ method: last.method, budget: last.budget });
      }
    };

    /** Runs one generation; only one at a time, so a slider release waits for a stop. */
    const generate = async (
      run: (taskId: string) => Promise<{ conversationId: string }>,
      question: string | null,
    ) => {
      if (inflight) {
        await get().stop();
        await inflight.catch(() => {});
      }
      const taskId = newTaskId('chat');
      set({ generating: true, chatTaskId: taskId, stream: { messageId: null, text: '' } });
      const work = (async () => {
        try {
          const { conversationId } = await run(taskId);
          await refresh(conversationId);
        } catch (err) {
          get().showError(err);
          // A first question that failed still created its conversation (with the error as
          // the answer): find it so the question does not hang there unanswered.
          let id = get().activeConversationId;
          if (!id && question !== null) {
            const list = await api
              .request('conversation:list', { documentId: get().activeDocumentId })
              .catch(() => []);
            id = list.find((c) => question.startsWith(c.title.replace(/…$/, '')))?.id ?? null;
          }
          if (id) await refresh(id).catch(() => {});
        } finally {
          set({ generating: false, chatTaskId: null, stream: { messageId: null, text: '' } });
        }
      })();
      inflight = work;
      await work;
      if (inflight === work) inflight = null;
    };

    return {
      conversations: [],
      activeConversationId: null,
      messages: [],
      generating: false,
      chatTaskId: null,
      stream: { messageId: null, text: '' },

      async ask(question) {
        const documentId = get().activeDocumentId;
        if (!documentId) {
          get().showError(new Error('Open a document first, then ask about it.'));
          return;
        }
        const pending: ChatMessage = {
          id: `pending-${Date.now()}`,
          role: 'user',
          text: question,
          createdAt: Date.now(),
          status: 'done',
          method: null,
          budget: null,
          stats: null,
          error: null,
        };
        set((s) => ({ messages: [...s.messages, pending] }));
        const { method, budget } = get();
        await generate(
          (taskId) =>
            api.request('chat:ask', {
              documentId,
              conversationId: get().activeConversationId,
              question,
              method,
              budget,
              taskId,
            }),
          question,
        );
      },

      async stop() {
        try {
          await api.request('chat:stop', { conversationId: get().activeConversationId });
        } catch (err) {
          get().showError(err);
        }
      },

      async regenerate() {
        const conversationId = get().activeConversationId;
        if (!conversationId) return;
        set((s) => ({
          messages: s.messages.at(-1)?.role === 'assistant' ? s.messages.slice(0, -1) : s.messages,
        }));
        const { method, budget } = get();
        await generate(
          (taskId) => api.request('chat:regenerate', { conversationId, method, budget, taskId }),
          null,
        );
      },

      async selectConversation(conversationId) {
        try {
          await refresh(conversationId);
          await get().refreshView(true);
        } catch (err) {
          get().showError(err);
        }
      },

      resetChat() {
        set({ activeConversationId: null, messages: [], view: null });
      },

      receiveToken(token) {
        const { stream } = get();
        const text = stream.messageId === token.messageId ? stream.text + token.text : token.text;
        set({ stream: { messageId: token.messageId, text } });
      },
    };
  };
}
