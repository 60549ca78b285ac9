/**
 * Ids seen in the last `ttlMs`, at most `max` of them (the oldest forgotten first): what the webhook
 * needs to recognise a redelivery, or one of our own wamids, without a database round trip.
 */
export function recentIds(ttlMs: number, max: number, clock: () => Date) {
  const seen = new Map<string, number>();

  function has(id: string): boolean {
    const at = seen.get(id);
    if (at === undefined) return false;
    if (clock().getTime() - at < ttlMs) return true;
    seen.delete(id);
    return false;
  }

  function add(id: string): void {
    seen.delete(id);
    seen.set(id, clock().getTime());
    if (seen.size > max) seen.delete(seen.keys().next().value as string);
  }

  return {
    has,
    add,
    /** Adds `id`; false when it was already there (a repeat). */
    addNew(id: string): boolean {
      if (has(id)) return false;
      add(id);
      return true;
    },
  };
}
