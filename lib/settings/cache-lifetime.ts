import type { FactCache } from "../hub/cache";

/**
 * The user's "cache lifetime" setting: no fact is kept longer than `maxMs()`, read at each write so
 * a change applies to the next fetch. Facts cached before the change keep their expiry; the options
 * page clears the cache when the lifetime is shortened, so the new limit holds at once.
 */
export function withMaxLifetime(cache: FactCache, maxMs: () => number): FactCache {
  return {
    peek: (key) => cache.peek(key),
    clear: () => cache.clear(),
    getOrLoad: (key, load, ttlMs, signal) => cache.getOrLoad(key, load, (value) => Math.min(ttlMs(value), Math.max(0, maxMs())), signal),
  };
}
