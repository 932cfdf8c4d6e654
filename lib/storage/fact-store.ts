import { browser } from "wxt/browser";
import type { PersistentStore } from "../hub/cache";

const PREFIX = "facts:";
/** Changing this key tells the background to drop every cached fact. */
export const CACHE_GENERATION_KEY = "cache:generation";
/**
 * The generation the background last finished clearing: written once its memory caches, token
 * answers and refusal count are dropped, so whoever asked (the options page) says "cleared" only then.
 */
export const CACHE_CLEARED_KEY = "cache:cleared";

/** Background: the clear asked for with `generation` is done. */
export async function confirmCacheCleared(generation: unknown): Promise<void> {
  await browser.storage.local.set({ [CACHE_CLEARED_KEY]: generation });
}

/**
 * Resolves once the background confirms the clear of `generation` (CACHE_CLEARED_KEY); rejects after
 * `timeoutMs`, saying so, so a background that never answers is not reported as "cleared". Listen
 * before asking: the confirmation may come before the request's own write has returned.
 */
export function whenCacheCleared(generation: number, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (outcome: () => void) => {
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(listener);
      outcome();
    };
    const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === "local" && changes[CACHE_CLEARED_KEY]?.newValue === generation) done(resolve);
    };
    const timer = setTimeout(() => done(() => reject(new Error(`the extension's background did not confirm within ${timeoutMs / 1000} s that it cleared its caches; reload the extension and try again`))), timeoutMs);
    browser.storage.onChanged.addListener(listener);
  });
}
/** Facts larger than this (as JSON) are kept in memory only. */
const MAX_STORED_CHARS = 64 * 1024;

/**
 * Fact cache entries in storage.local, so a restarted service worker does not refetch.
 * Only public repo facts are stored here: never a token.
 */
/** Expired entries are swept at most this often: facts now live up to a day, across browser restarts. */
const PRUNE_EVERY_MS = 60 * 60_000;
/**
 * At most this many facts are kept in storage.local. Results named by a file's LFS sha256 never
 * expire (those bytes never change), so expiry alone would let the store grow with every GGUF ever
 * opened; past the cap, the facts closest to expiring go first (the sha-keyed ones last).
 */
export const MAX_STORED_FACTS = 5000;

export function createFactStore(now: () => number = () => Date.now(), maxStoredFacts = MAX_STORED_FACTS): PersistentStore {
  let prunedAt = 0;

  /** Drop expired facts, then the soonest to expire past the cap, so storage.local does not grow with every repo ever visited. */
  async function prune() {
    const all = await browser.storage.local.get(null);
    const expired: string[] = [];
    const live: { name: string; expiresAt: number }[] = [];
    for (const [name, entry] of Object.entries(all)) {
      if (!name.startsWith(PREFIX)) continue;
      const expiresAt = (entry as { expiresAt?: unknown } | null)?.expiresAt;
      if (typeof expiresAt === "number" && expiresAt > now()) live.push({ name, expiresAt });
      else expired.push(name);
    }
    const overCap = live.length - maxStoredFacts;
    if (overCap > 0) {
      live.sort((a, b) => a.expiresAt - b.expiresAt);
      expired.push(...live.slice(0, overCap).map((entry) => entry.name));
    }
    if (expired.length > 0) await browser.storage.local.remove(expired);
  }

  return {
    async get(key) {
      const name = PREFIX + key;
      const stored = await browser.storage.local.get(name);
      const entry: unknown = stored[name];
      if (typeof entry !== "object" || entry === null) return undefined;
      const { value, expiresAt } = entry as { value?: unknown; expiresAt?: unknown };
      if (typeof expiresAt !== "number") return undefined;
      return { value, expiresAt };
    },
    async set(key, value, expiresAt) {
      // A 10,000-file repo's listing is half a megabyte: writing it to storage.local costs more
      // than fetching it again, so such facts stay in the memory cache only.
      if (JSON.stringify(value).length > MAX_STORED_CHARS) return;
      await browser.storage.local.set({ [PREFIX + key]: { value, expiresAt } });
      if (now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now();
        await prune().catch(() => undefined);
      }
    },
    async clear() {
      const all = await browser.storage.local.get(null);
      const names = Object.keys(all).filter((name) => name.startsWith(PREFIX));
      if (names.length > 0) await browser.storage.local.remove(names);
    },
  };
}
