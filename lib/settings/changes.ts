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
 * The snapshot counts only when it replaces another: its first write (or its removal) changes no
 * policy anyone judged with, since without a snapshot every context waits for the fresh read.
 */
export function onPolicyChange(callback: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    const snapshot = changes[MANAGED_SNAPSHOT_KEY] as { oldValue?: unknown; newValue?: unknown } | undefined;
    // Browsers leave oldValue out when there was none (some test doubles say null): either means "first write".
    const snapshotReplaced = snapshot !== undefined && snapshot.oldValue != null && snapshot.newValue != null;
    if (area === "managed" || (area === "local" && (SETTINGS_KEY in changes || snapshotReplaced))) callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
