import type { Runtime } from "webextension-polyfill";
import { browser } from "wxt/browser";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { isContentEnvelope } from "../../lib/messaging/content-messages";
import type { PageToContent } from "../../lib/messaging/protocol";
import { isExtensionPageSender } from "../../lib/messaging/senders";

/**
 * The popup's "open the findings panel on the page" (browser.tabs.sendMessage from the popup).
 * Accepted only from the extension's own pages; the message carries no data, and the answer only says whether
 * a panel was opened. Other messages are left alone (returning undefined lets other listeners answer).
 */
export function listenForOpenPanel(ctx: ContentScriptContext, openPanel: () => boolean): void {
  const extensionOrigin = browser.runtime.getURL("/");
  // The content script uses the browser's native API (no polyfill, see build/), so it answers with
  // sendResponse, which every browser supports, rather than by returning a promise.
  const listener = (message: unknown, sender: Runtime.MessageSender, sendResponse: (answer: PageToContent["open-panel"]["response"]) => void): true | undefined => {
    if (!isContentEnvelope(message, "open-panel")) return undefined;
    if (!isExtensionPageSender(sender, extensionOrigin, browser.runtime.id)) return undefined;
    sendResponse({ opened: !ctx.isInvalid && openPanel() });
    return true;
  };
  browser.runtime.onMessage.addListener(listener);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener));
}

/** Opens the badge's panel by pressing its button (the badge owns its open state), unless it is open already. */
export function pressBadgeButton(shadow: ShadowRoot, host: HTMLElement): boolean {
  if (!host.isConnected) return false;
  const button = shadow.querySelector<HTMLButtonElement>('button[aria-haspopup="dialog"]');
  if (button === null) return false;
  host.scrollIntoView({ block: "center" });
  if (button.getAttribute("aria-expanded") !== "true") button.click();
  return true;
}
