/**
 * Small, hand-made contract values for renderer tests.
 */
import type { AppState, DocumentContent } from '../../app/ipc/views';
import type { RetentionView } from '../../app/ipc/retention-view';
import type { ChatMessage, Conversation } from '../../app/chat/chat-types';
import { DEFAULT_SETTINGS } from '../../app/settings/settings';

/** The demo model's description as the main side sends it (renderer code cannot import main/). */
export const DEMO_DESCRIPTION =
  'Demo model: trained on synthetic documents to look facts up, not a general assistant';

export const DOC_TEXT = 'Alpha beta gamma.\nThe code is 4417.\nDelta epsilon.';

export function appState(withDocument: boolean): AppState {
  return {
    version: '0.0.0-test',
    mode: 'browser',
    settings: { ...DEFAULT_SETTINGS },
    models: [
      {
        id: 'demo-1',
        name: 'Demo model (bundled)',
        dir: '/models/demo',
        family: 'llama',
        numLayers: 2,
        numHeads: 4,
        numKvHeads: 2,
        contextLength: 4096,
        isDefault: true,
        calibration: 'calibrated',
        calibrationNote: null,
        description: DEMO_DESCRIPTION,
      },
    ],
    documents: withDocument
      ? [
          {
            id: 'doc-1',
            name: 'memo.txt',
            kind: 'text',
            pages: 1,
            chars: DOC_TEXT.length,
            bytes: DOC_TEXT.length,
            warnings: [],
            openedAt: 1,
          },
        ]
      : [],
    conversations: [],
    unavailable: [],
    notices: [],
  };
}

export const CONTENT: DocumentContent = { id: 'doc-1', text: DOC_TEXT, pageStarts: [0] };

/** A view over a 10-token prompt whose document tokens start at position 2. */
export function view(budget: number, conversationId = 'conv-1'): RetentionView {
  const keep = Math.min(10, budget);
  const kept = Int32Array.from({ length: keep }, (_, i) => 10 - keep + i);
  return {
    conversationId,
    method: 'compresskv',
    budget,
    map: {
      promptLength: 10,
      layerCount: 2,
      budgets: [keep, keep],
      keptPerLayer: [keep, keep],
      layers: [
        { kind: 'shared', kept },
        { kind: 'shared', kept },
      ],
      tokenLayerCount: Uint16Array.from({ length: 10 }, (_, i) => (i >= 10 - keep ? 2 : 0)),
      tokenLayerWeight: Float32Array.from({ length: 10 }, (_, i) => (i >= 10 - keep ? 2 : 0)),
      totals: {
        tokensKept: 2 * keep,
        distinctTokensKept: keep,
        fullBytes: 2000,
        compressedBytes: 200 * keep,
      },
    },
    warnings: [],
    layoutKey: 'doc-1:demo-1',
    layout: {
      key: 'doc-1:demo-1',
      docTokenStart: 2,
      spans: new Int32Array([0, 6, 6, 11, 11, 17, 18, 22, 23, 28, 29, 32, 33, 36]),
    },
  };
}

export function message(role: 'user' | 'assistant', id: string, text: string): ChatMessage {
  return {
    id,
    role,
    text,
    createdAt: 1,
    status: 'done',
    method: role === 'assistant' ? 'compresskv' : null,
    budget: role === 'assistant' ? 64 : null,
    stats: null,
    error: null,
  };
}

export function conversation(messages: ChatMessage[]): Conversation {
  return {
    id: 'conv-1',
    documentId: 'doc-1',
    modelId: 'demo-1',
    title: 'What is the code?',
    createdAt: 1,
    updatedAt: 2,
    messageCount: messages.length,
    messages,
  };
}
