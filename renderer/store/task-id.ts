/** Ids for long tasks the renderer starts, so it can follow their progress and cancel them. */
let counter = 0;

/** A fresh task id such as "ingest-3-k2x9" (contract id characters only). */
export function newTaskId(kind: string): string {
  counter += 1;
  return `${kind}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
