/**
 * Within the content script: a feature learned something that changes the repo's facts (an opened
 * row had its GGUF header read), so the repo badge asks for its verdict again (from the
 * background's cache). Module state, not a DOM event: a page cannot trigger it.
 */
const listeners = new Set<() => void>();

export function announceFactsChanged(): void {
  for (const listener of listeners) listener();
}

/** Returns the unsubscribe function (for `ctx.onInvalidated`). */
export function onFactsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
