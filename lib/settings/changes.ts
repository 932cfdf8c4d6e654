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

/** Calls back when the user's settings or the organization's policy change. Returns the unsubscribe. */
export function onPolicyChange(callback: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === "managed" || (area === "local" && (SETTINGS_KEY in changes || MANAGED_SNAPSHOT_KEY in changes))) callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
