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
export function createFactStore(): PersistentStore {
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
    },
    async clear() {
      const all = await browser.storage.local.get(null);
      const names = Object.keys(all).filter((name) => name.startsWith(PREFIX));
      if (names.length > 0) await browser.storage.local.remove(names);
    },
  };
}
