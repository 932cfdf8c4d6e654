import { browser } from "wxt/browser";
import { SETTINGS_KEY } from "./keys";

/** Calls back when the user's settings or the organization's policy change. Returns the unsubscribe. */
export function onPolicyChange(callback: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === "managed" || (area === "local" && SETTINGS_KEY in changes)) callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
