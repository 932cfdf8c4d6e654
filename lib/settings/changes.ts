import { browser } from "wxt/browser";
import { SETTINGS_KEY } from "./keys";

/**
 * The last organization policy read from storage.managed, kept in storage.local so that a new
 * service worker (or the first page after the browser starts, when Chromium's first managed read
 * takes seconds) can judge with it at once (storage.ts). When a fresh read differs, the new
 * snapshot is written here, and that write is the "policy changed" signal every open Hub tab and
 * the options page already follow.
 */
export const MANAGED_SNAPSHOT_KEY = "policy:managed-snapshot";

/**
 * Calls back when the user's settings or the organization's policy change. Returns the unsubscribe.
 * The snapshot counts when it replaces another, and when its first write holds a policy: the first
 * verdicts after install were published with none (storage.ts, `provisional`), so a real policy
 * arriving then is a change. A first write of an empty policy, or a removal, changes nothing anyone
 * judged with.
 */
export function onPolicyChange(callback: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    const snapshot = changes[MANAGED_SNAPSHOT_KEY] as { oldValue?: unknown; newValue?: unknown } | undefined;
    // Browsers leave oldValue out when there was none (some test doubles say null): either means "first write".
    const snapshotReplaced = snapshot !== undefined && snapshot.newValue != null && (snapshot.oldValue != null || !holdsNoPolicy(snapshot.newValue));
    if (area === "managed" || (area === "local" && (SETTINGS_KEY in changes || snapshotReplaced))) callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/**
 * A kept snapshot that says "no policy": every list empty, the defaults for the rest. Checked on
 * the stored shape (storage.ts ManagedSnapshot) without the policy reader, which content scripts do
 * not need to carry; anything unexpected counts as a policy (a change: judging again is harmless).
 */
function holdsNoPolicy(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const policy = (value as { policy?: unknown }).policy;
  if (typeof policy !== "object" || policy === null) return false;
  const { trustedOrganizations, allowlist, blockedAuthors, minimumStrictness, disableTokenReview, downloadGuard, ...rest } = policy as Record<string, unknown>;
  const empty = (list: unknown) => Array.isArray(list) && list.length === 0;
  // A snapshot kept before the policy had a download guard key has none: that is "off" too.
  const noGuardMinimum = downloadGuard === undefined || downloadGuard === "off";
  return empty(trustedOrganizations) && empty(allowlist) && empty(blockedAuthors) && minimumStrictness === "balanced" && disableTokenReview === false && noGuardMinimum && Object.keys(rest).length === 0;
}
