/**
 * A stand-in main side for the heatmap benchmark, injected into the page as window.kvLens (the
 * preload's bridge shape): one document of T tokens and, for any budget, a deterministic
 * selection over L layers. It measures the RENDERER alone at a size the test machine's engine
 * could not prefill in a test's time (a 32k-token prompt); nothing here stands in for the
 * engine in the product. Runs inside the page: no imports, no closures over Node values.
 */
export interface SyntheticOptions {
  tokens: number;
  layers: number;
}

/** Installs window.kvLens; serialised by Playwright's addInitScript. */
export function installSyntheticBridge({ tokens: T, layers: L }: SyntheticOptions): void {
  const word = (t: number) => `w${(t * 2654435761) % 9973}`.padEnd(6, ' ').slice(0, 6);
  let text = '';
  const spans = new Int32Array(2 * T);
  for (let t = 0; t < T; t++) {
    spans[2 * t] = text.length;
    text += word(t);
    spans[2 * t + 1] = text.length;
    if (t % 12 === 11) text += '\n';
  }
  const layout = { key: 'doc:model', docTokenStart: 0, spans };
  const select = (budget: number, withLayout: boolean) => {
    const b = Math.min(T, budget);
    const count = new Uint16Array(T);
    const layers = [];
    for (let l = 0; l < L; l++) {
      // Evenly spread picks with a per-layer offset: deterministic, different per layer.
      const kept = new Int32Array(b);
      for (let i = 0; i < b; i++)
        kept[i] = Math.min(T - 1, Math.floor(((i + (l * 7) / L) * T) / b));
      kept.sort();
      for (const p of kept) count[p] = count[p]! + 1;
      layers.push({ kind: 'shared', kept });
    }
    return {
      conversationId: 'conv-1',
      method: 'snapkv',
      budget,
      map: {
        promptLength: T,
        layerCount: L,
        budgets: new Array(L).fill(b),
        keptPerLayer: new Array(L).fill(b),
        layers,
        tokenLayerCount: count,
        tokenLayerWeight: Float32Array.from(count),
        totals: {
          tokensKept: b * L,
          distinctTokensKept: b,
          fullBytes: T * L * 512,
          compressedBytes: b * L * 512,
        },
      },
      warnings: [],
      layoutKey: layout.key,
      layout: withLayout ? layout : null,
    };
  };
  const message = (role: string, id: string, t: string, budget: number | null) => ({
    id,
    role,
    text: t,
    createdAt: 1,
    status: 'done',
    method: role === 'assistant' ? 'snapkv' : null,
    budget,
    stats: null,
    error: null,
  });
  const doc = {
    id: 'doc-1',
    name: 'synthetic.txt',
    kind: 'text',
    pages: 1,
    chars: text.length,
    bytes: text.length,
    warnings: [],
    openedAt: 1,
  };
  const conv = {
    id: 'conv-1',
    documentId: 'doc-1',
    modelId: 'm',
    title: 'Synthetic',
    createdAt: 1,
    updatedAt: 1,
    messageCount: 2,
  };
  const messages = [
    message('user', 'u1', 'Question?', null),
    message('assistant', 'a1', 'Answer.', 512),
  ];
  const settings = { executionProvider: 'cpu', maxNewTokens: 16, activeModelId: null };
  const handlers: Record<string, (a: Record<string, unknown>) => unknown> = {
    'app:getState': () => ({
      version: 'bench',
      mode: 'desktop',
      settings,
      models: [],
      documents: [doc],
      conversations: [conv],
      unavailable: [],
      notices: [],
    }),
    'document:get': () => ({ id: 'doc-1', text, pageStarts: [0] }),
    'conversation:list': () => [conv],
    'conversation:get': () => ({ ...conv, messages }),
    'retention:select': (a) => select(a.budget as number, a.withLayout as boolean),
    'chat:regenerate': (a) => ({
      conversationId: 'conv-1',
      question: messages[0],
      answer: message('assistant', 'a2', 'Answer.', a.budget as number),
    }),
    'chat:stop': () => ({ stopped: false }),
  };
  const requests = new Proxy(
    {},
    {
      get: (_t, channel: string) => async (args: Record<string, unknown>) => {
        const h = handlers[channel];
        return h
          ? { ok: true, result: h(args) }
          : { ok: false, code: 'unsupported', message: `${channel} not in the benchmark` };
      },
    },
  );
  (window as unknown as Record<string, unknown>).kvLens = {
    requests,
    on: () => () => {},
    pickDocument: async () => null,
    pickModelFolder: async () => null,
    pathForFile: () => '',
  };
}
