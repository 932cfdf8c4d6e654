/**
 * Where token reviews are remembered, and the one place a raw token may be kept.
 *
 * - storage.local, key `token-review:<fingerprint>`: a review summary (summarizeForStorage: account, token name,
 *   role, scopes, findings, dates). The fingerprint (lib/token/fingerprint.ts) cannot be turned back into the
 *   token, and the summary holds no token. This is what lets the popup list reviewed tokens and re-flag a broad
 *   one when it is pasted again.
 * - storage.session, key `token:session`: the raw token, only when the user ticked "keep for this browser
 *   session". storage.session lives in memory and is gone when the browser closes; content scripts cannot read
 *   it (Chrome's default access level is TRUSTED_CONTEXTS; Firefox never exposes it to them).
 *
 * Never storage.sync, never the raw token in storage.local. Values read back are checked and malformed ones
 * dropped, so a bad entry never breaks the popup.
 */
import { isStoredTokenReview, type StoredTokenReview } from "../token/audit";
import { checkTokenFormat } from "../token/format";

/** The subset of browser.storage.StorageArea used here, so tests can pass an in-memory area. */
export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const TOKEN_REVIEW_PREFIX = "token-review:";
export const SESSION_TOKEN_KEY = "token:session";
/** Enough for a person's tokens; the oldest reviews go first beyond it. */
export const MAX_STORED_REVIEWS = 50;

const FINGERPRINT = /^[0-9a-f]{16}$/;

export interface StoredReviewEntry {
  /** The token's fingerprint (the storage key without its prefix). */
  id: string;
  review: StoredTokenReview;
}

export function isFingerprint(value: unknown): value is string {
  return typeof value === "string" && FINGERPRINT.test(value);
}

export function createTokenReviewStore(local: StorageAreaLike) {
  async function list(): Promise<StoredReviewEntry[]> {
    const all = await local.get(null);
    const entries: StoredReviewEntry[] = [];
    const malformed: string[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(TOKEN_REVIEW_PREFIX)) continue;
      const id = key.slice(TOKEN_REVIEW_PREFIX.length);
      if (isFingerprint(id) && isStoredTokenReview(value)) entries.push({ id, review: value });
      else malformed.push(key);
    }
    // Dropped on read: an entry from an older version or a broken write must not stay around forever.
    if (malformed.length > 0) await local.remove(malformed);
    return entries.sort((a, b) => b.review.reviewedAt.localeCompare(a.review.reviewedAt));
  }

  return {
    list,
    async get(id: string): Promise<StoredTokenReview | undefined> {
      if (!isFingerprint(id)) return undefined;
      const key = TOKEN_REVIEW_PREFIX + id;
      const value = (await local.get(key))[key];
      return isStoredTokenReview(value) ? value : undefined;
    },
    async put(id: string, review: StoredTokenReview): Promise<void> {
      if (!isFingerprint(id)) throw new Error("Not a token fingerprint.");
      await local.set({ [TOKEN_REVIEW_PREFIX + id]: review });
      const entries = await list();
      const excess = entries.slice(MAX_STORED_REVIEWS).map((e) => TOKEN_REVIEW_PREFIX + e.id);
      if (excess.length > 0) await local.remove(excess);
    },
    async forget(id: string): Promise<void> {
      if (!isFingerprint(id)) return;
      await local.remove(TOKEN_REVIEW_PREFIX + id);
    },
  };
}

export function createSessionTokenStore(session: StorageAreaLike) {
  return {
    /** The kept token, or undefined (also when what is stored is not a well-formed token: it is then removed). */
    async get(): Promise<string | undefined> {
      const value = (await session.get(SESSION_TOKEN_KEY))[SESSION_TOKEN_KEY];
      if (value === undefined) return undefined;
      const format = typeof value === "string" ? checkTokenFormat(value) : undefined;
      if (format?.ok === true) return format.token;
      await session.remove(SESSION_TOKEN_KEY);
      return undefined;
    },
    async keep(token: string): Promise<void> {
      await session.set({ [SESSION_TOKEN_KEY]: token });
    },
    async clear(): Promise<void> {
      await session.remove(SESSION_TOKEN_KEY);
    },
  };
}

export type TokenReviewStore = ReturnType<typeof createTokenReviewStore>;
export type SessionTokenStore = ReturnType<typeof createSessionTokenStore>;
