/**
 * Token embedding lookup: Gather(embed_tokens [V, hidden], input_ids [1, S]) -> [1, S, hidden].
 */
import { INPUT_IDS } from '../../../app/model/graph-contract';
import type { BlockContext } from './block-context';

export const EMBED_WEIGHT = 'model.embed_tokens.weight';

/** Adds the embedding table (shared with a tied lm_head) and the lookup. */
export async function makeEmbedding(ctx: BlockContext): Promise<{ hidden: string; table: string }> {
  const { b, ckpt } = ctx;
  const table = await b.weight(
    EMBED_WEIGHT,
    ckpt.shape(EMBED_WEIGHT),
    ckpt.readFloat32(EMBED_WEIGHT),
  );
  const hidden = b.node('/model/embed_tokens/Gather', 'Gather', [table, INPUT_IDS]);
  return { hidden, table };
}
