import { browser } from "wxt/browser";
import type { PersistentStore } from "../hub/cache";

const PREFIX = "facts:";
/** Changing this key tells the background to drop every cached fact. */
export const CACHE_GENERATION_KEY = "cache:generation";
/** Facts larger than this (as JSON) are kept in memory only. */
const MAX_STORED_CHARS = 64 * 1024;

/**
 * Fact cache entries in storage.local, so a restarted service worker does not refetch.
 * Only public repo facts are stored here: never a token.
 */
/** Expired entries are swept at most this often: facts now live up to a day, across browser restarts. */
const PRUNE_EVERY_MS = 60 * 60_000;

export function createFactStore(now: () => number = () => Date.now()): PersistentStore {
  let prunedAt = 0;

  /** Drop expired facts, so storage.local does not grow with every repo ever visited. */
  async function prune() {
    const all = await browser.storage.local.get(null);
    const expired = Object.entries(all)
      .filter(([name, entry]) => name.startsWith(PREFIX) && !(typeof (entry as { expiresAt?: unknown } | null)?.expiresAt === "number" && (entry as { expiresAt: number }).expiresAt > now()))
      .map(([name]) => name);
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
