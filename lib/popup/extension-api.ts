/**
 * The popup's ExtensionApi on top of browser.* and the typed messages (lib/messaging/protocol.ts).
 *
 * No "tabs" permission: tabs.query({ active, currentWindow }) gives the tab id without it, and that id is all the
 * background needs (it keeps each tab's latest verdict). The token goes to the background only (runtime
 * messages from an extension page never reach content scripts); the page's content script is only ever asked
 * to open its own panel, with no data from the popup.
 */
import { browser } from "wxt/browser";
import { sendToBackground } from "../messaging/client";
import { contentEnvelope } from "../messaging/content-messages";
import { OPEN_FINDINGS_COMMAND } from "../background/commands";
import type { ExtensionApi } from "./api";

export interface ExtensionApiOptions {
  /** From popup.html?tab=N (parseTargetTab); otherwise the active tab. */
  targetTabId?: number;
  /** Called after the panel opened: the toolbar popup closes itself so the page's panel is in view. */
  afterPanelOpened?: () => void;
}

export function createExtensionApi(options: ExtensionApiOptions = {}): ExtensionApi {
  return {
    async targetTab() {
      if (options.targetTabId !== undefined) return { tabId: options.targetTabId };
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined || tab.id === browser.tabs.TAB_ID_NONE) return undefined;
      return { tabId: tab.id };
    },
    tabVerdict: (tabId) => sendToBackground("tab-verdict", { tabId }),
    async openPanelShortcut() {
      // The shortcut as the browser holds it now (the user may have changed or cleared it): "" means none.
      const commands = await browser.commands.getAll();
      const shortcut = commands.find((command) => command.name === OPEN_FINDINGS_COMMAND)?.shortcut;
      return shortcut ? shortcut : undefined;
    },
    async openPanel(tabId) {
      let answer: unknown;
      try {
        answer = await browser.tabs.sendMessage(tabId, contentEnvelope("open-panel", {}));
      } catch {
        // No content script listening (a tab opened before the extension was installed or reloaded).
        return false;
      }
      const opened = typeof answer === "object" && answer !== null && (answer as { opened?: unknown }).opened === true;
      if (opened) {
        // Bring the page forward when the popup lives in a tab of its own; a no-op for the toolbar popup.
        await browser.tabs.update(tabId, { active: true }).catch(() => undefined);
        options.afterPanelOpened?.();
      }
      return opened;
    },
    reviewToken: (token, { keepForSession }) => sendToBackground("token-review", { token, keepForSession }),
    reviewedTokens: async () => (await sendToBackground("token-reviews", {})).reviews,
    forgetReview: async (id) => (await sendToBackground("token-forget", { id })).reviews,
    keptToken: () => sendToBackground("token-session", { action: "get" }),
    forgetKeptToken: async () => {
      await sendToBackground("token-session", { action: "clear" });
    },
    tokenReviewAllowed: async () => !(await sendToBackground("effective-policy", {})).tokenReviewDisabled,
  };
}
