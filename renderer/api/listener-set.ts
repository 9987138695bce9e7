/**
 * Per-channel listener lists shared by both transports.
 */
export class ListenerSet<K extends string> {
  private readonly map = new Map<K, Set<(payload: never) => void>>();

  add<P>(key: K, listener: (payload: P) => void): () => void {
    let set = this.map.get(key);
    if (!set) {
      set = new Set();
      this.map.set(key, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Calls every listener of `key`; a throwing listener must not starve the others. */
  emit(key: K, payload: unknown): void {
    for (const listener of this.map.get(key) ?? []) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (err) {
        console.error(`Listener for ${key} failed`, err);
      }
    }
  }

  clear(): void {
    this.map.clear();
  }
}
