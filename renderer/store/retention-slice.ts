/**
 * Method, budget, layer choice and the retention view the heatmap draws.
 *
 * Dragging the budget re-selects live (one request in flight; the latest budget wins); releasing
 * it regenerates the last answer.
 */
import type { ApiClient } from '../api/api-client';
import {
  DEFAULT_BUDGET,
  DEFAULT_METHOD,
  type CompressionMethod,
} from '../../app/chat/compression-methods';
import type { RetentionView, TokenLayout } from '../../app/ipc/retention-view';
import type { SliceCreator } from './store-types';

export interface RetentionSlice {
  method: CompressionMethod;
  budget: number;
  /** null = all layers. */
  layer: number | null;
  view: RetentionView | null;
  /** Token layouts by key (document, model); sent once, reused by every view. */
  layouts: Record<string, TokenLayout>;
  setLayer(layer: number | null): void;
  /** Changes the method: re-selects, then regenerates the last answer. */
  setMethod(method: CompressionMethod): Promise<void>;
  /** While dragging: re-select only. */
  setBudgetLive(budget: number): void;
  /** On release: regenerate the last answer with the current budget. */
  commitBudget(): Promise<void>;
  refreshView(withLayout: boolean): Promise<void>;
  receiveView(view: RetentionView): void;
}

export function createRetentionSlice(api: ApiClient): SliceCreator<RetentionSlice> {
  return (set, get) => {
    let selecting = false;
    let wanted = false;

    /** Coalesces live selections: at most one request in flight, then the latest state. */
    const pump = async () => {
      if (selecting) {
        wanted = true;
        return;
      }
      selecting = true;
      try {
        do {
          wanted = false;
          await get().refreshView(false);
        } while (wanted);
      } finally {
        selecting = false;
      }
    };

    return {
      method: DEFAULT_METHOD,
      budget: DEFAULT_BUDGET,
      layer: null,
      view: null,
      layouts: {},

      setLayer(layer) {
        set({ layer });
      },
      async setMethod(method) {
        set({ method });
        await pump();
        if (get().activeConversationId) await get().regenerate();
      },
      setBudgetLive(budget) {
        set({ budget });
        if (get().activeConversationId && get().view) void pump();
      },
      async commitBudget() {
        await pump();
        if (!get().activeConversationId) return;
        // A click that leaves the budget where the shown answer was made needs no new answer.
        const last = get().messages.findLast((m) => m.role === 'assistant');
        if (
          last &&
          last.status === 'done' &&
          last.method === get().method &&
          last.budget === get().budget
        ) {
          return;
        }
        await get().regenerate();
      },
      async refreshView(withLayout) {
        const conversationId = get().activeConversationId;
        if (!conversationId) return;
        const { method, budget } = get();
        try {
          const view = await api.request('retention:select', {
            conversationId,
            method,
            budget,
            withLayout: withLayout || !get().view,
          });
          // A late answer for another conversation must not replace the current view.
          if (get().activeConversationId === conversationId) get().receiveView(view);
        } catch (err) {
          // No stored scores yet (e.g. the answer is still prefilling) is not worth a banner.
          const code = (err as { code?: string }).code;
          if (code !== 'not-found') get().showError(err);
        }
      },
      receiveView(view) {
        set((s) => ({
          view,
          layouts: view.layout ? { ...s.layouts, [view.layout.key]: view.layout } : s.layouts,
          layer: s.layer !== null && s.layer >= view.map.layerCount ? null : s.layer,
        }));
      },
    };
  };
}
