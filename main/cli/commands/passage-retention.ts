/**
 * `ask --passage TEXT`: which tokens of one passage of the document each layer's compressed cache
 * still holds after a question. It answers "why did the reply lose this fact?" with the app's own
 * retention data (the heatmap's RetentionView), per layer and, where a method keeps positions per
 * KV head, per KV head.
 */
import { KvLensError } from '../../../app/errors';
import type { RetentionView, TokenLayout } from '../../../app/ipc/retention-view';

export interface PassageRetention {
  passage: string;
  /** The document tokens the passage overlaps, as the document text they cover. */
  tokens: string[];
  /** B_l per layer, as the method allocated it. */
  budgets: number[];
  /** Per layer, per kept set (one if the layer is shared, else one per KV head): '#' kept, '.' evicted. */
  layers: string[][];
}

/** Where the passage starts in the document text; a clear error when it is not there. */
export function passageStart(text: string, passage: string): number {
  const at = text.indexOf(passage);
  if (passage.trim() === '' || at < 0) {
    throw new KvLensError(
      'usage',
      `--passage "${passage}" is not in the document's text. Copy it from what "ingest FILE" prints ` +
        '(line breaks and spacing as extracted).',
    );
  }
  return at;
}

export function passageRetention(
  text: string,
  layout: TokenLayout,
  view: RetentionView,
  passage: string,
): PassageRetention {
  const start = passageStart(text, passage);
  const end = start + passage.length;
  const positions: number[] = [];
  const tokens: string[] = [];
  for (let i = 0; 2 * i + 1 < layout.spans.length; i++) {
    const s = layout.spans[2 * i]!;
    const e = layout.spans[2 * i + 1]!;
    if (e > start && s < end) {
      positions.push(layout.docTokenStart + i);
      tokens.push(text.slice(s, e));
    }
  }
  const layers = view.map.layers.map((layer) => {
    const sets = layer.kind === 'shared' ? [layer.kept] : layer.kvHeads;
    return sets.map((kept) => {
      const held = new Set(kept);
      return positions.map((p) => (held.has(p) ? '#' : '.')).join('');
    });
  });
  return { passage, tokens, budgets: [...view.map.budgets], layers };
}

/** Text lines for the CLI: the tokens, then a row of marks per layer (KV heads apart by " | "). */
export function passageRetentionText(r: PassageRetention): string {
  const width = Math.max(...r.layers.map((_, l) => `layer ${l} (${r.budgets[l]})`.length));
  return [
    `   passage tokens: ${r.tokens.map((t) => JSON.stringify(t)).join(' ')}`,
    ...r.layers.map(
      (sets, l) => `   ${`layer ${l} (${r.budgets[l]})`.padEnd(width)}  ${sets.join(' | ')}`,
    ),
    '   (# kept, . evicted, one mark per passage token)',
  ].join('\n');
}
