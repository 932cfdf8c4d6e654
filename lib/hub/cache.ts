/**
 * A TTL cache for fact groups with in-flight deduplication: two tabs asking for the same repo
 * share one request. Values live in memory and, when a persistent store is given (storage.local
 * in the background), survive a service-worker restart.
 */
export interface PersistentStore {
  get(key: string): Promise<{ value: unknown; expiresAt: number } | undefined>;
  set(key: string, value: unknown, expiresAt: number): Promise<void>;
  clear(): Promise<void>;
}

export interface FactCache {
  /**
   * Returns the cached value, or runs `load` once for all concurrent callers and keeps its result
   * for `ttlMs(value)` (0: not kept). The load's signal aborts only when every caller has given up,
   * so a tab that navigates away cancels work that no other tab is waiting for.
   */
  getOrLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>, ttlMs: (value: T) => number, signal?: AbortSignal): Promise<T>;
  /** The cached value without loading, if fresh. */
  peek<T>(key: string): Promise<T | undefined>;
  clear(): Promise<void>;
}

export function createFactCache(options: { now?: () => number; store?: PersistentStore; maxEntries?: number } = {}): FactCache {
  const now = options.now ?? (() => Date.now());
  const maxEntries = options.maxEntries ?? 500;
  const memory = new Map<string, { value: unknown; expiresAt: number }>();
  const inFlight = new Map<string, { job: Promise<unknown>; waiters: number; controller: AbortController }>();

  function remember(key: string, value: unknown, expiresAt: number) {
    memory.delete(key);
    memory.set(key, { value, expiresAt });
    // Oldest first: Map keeps insertion order, so this is a simple LRU bound on memory.
    while (memory.size > maxEntries) {
      const oldest = memory.keys().next().value;
      if (oldest === undefined) break;
      memory.delete(oldest);
    }
  }

  async function peek<T>(key: string): Promise<T | undefined> {
    const hit = memory.get(key);
    if (hit && hit.expiresAt > now()) {
      remember(key, hit.value, hit.expiresAt); // a read is a use: move it to the young end
      return hit.value as T;
    }
    if (options.store) {
      const stored = await options.store.get(key).catch(() => undefined);
      if (stored && stored.expiresAt > now()) {
        remember(key, stored.value, stored.expiresAt);
        return stored.value as T;
      }
    }
    return undefined;
  }

  function follow(entry: { job: Promise<unknown>; waiters: number; controller: AbortController }, signal?: AbortSignal) {
    entry.waiters++;
    const leave = () => {
      entry.waiters--;
      if (entry.waiters === 0) entry.controller.abort();
    };
    if (signal?.aborted) leave();
    else signal?.addEventListener("abort", leave, { once: true });
    return entry.job.finally(() => signal?.removeEventListener("abort", leave));
  }

  return {
    peek,
    async getOrLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>, ttlMs: (value: T) => number, signal?: AbortSignal): Promise<T> {
      const existing = inFlight.get(key);
      // A load every earlier caller gave up on is already cancelled: a newcomer starts afresh.
      if (existing && !existing.controller.signal.aborted) return follow(existing, signal) as Promise<T>;
      const controller = new AbortController();
      const job = (async () => {
        const cached = await peek<T>(key);
        if (cached !== undefined) return cached;
        const value = await load(controller.signal);
        const ttl = ttlMs(value);
        if (ttl > 0 && !controller.signal.aborted) {
          const expiresAt = now() + ttl;
          remember(key, value, expiresAt);
          await options.store?.set(key, value, expiresAt).catch(() => undefined);
        }
        return value;
      })();
      const entry = { job, waiters: 0, controller };
      inFlight.set(key, entry);
      const done = () => {
        if (inFlight.get(key) === entry) inFlight.delete(key);
      };
      job.then(done, done);
      return follow(entry, signal) as Promise<T>;
    },
    async clear() {
      memory.clear();
      await options.store?.clear();
    },
  };
}
