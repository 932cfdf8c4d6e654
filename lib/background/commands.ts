import { contentEnvelope } from "../messaging/content-messages";
import type { ContentEnvelope, PageToContent } from "../messaging/protocol";

/** The manifest's command name (wxt.config.ts `commands`); default shortcut Alt+Shift+H. */
export const OPEN_FINDINGS_COMMAND = "open-findings-panel";
export const OPEN_FINDINGS_SHORTCUT = "Alt+Shift+H";

export type OpenPanelOutcome = "opened" | "no-panel" | "no-content-script" | "no-tab" | "other-command";

/**
 * The keyboard command: asks the content script of the tab it was pressed in to open the repo badge's
 * findings panel, the same message the popup's button sends (entrypoints/hub.content/open-panel.ts, which
 * accepts it only from the extension itself). The command brings the tab with it, so no "tabs" permission.
 * A tab without our content script (not a Hub page) makes sendMessage reject: nothing to open, said as such.
 */
export function createCommandHandler(deps: {
  sendToTab: (tabId: number, message: ContentEnvelope<"open-panel">) => Promise<unknown>;
}) {
  return async function onCommand(command: string, tab: { id?: number } | undefined): Promise<OpenPanelOutcome> {
    if (command !== OPEN_FINDINGS_COMMAND) return "other-command";
    if (tab?.id === undefined || tab.id < 0) return "no-tab";
    let answer: unknown;
    try {
      answer = await deps.sendToTab(tab.id, contentEnvelope("open-panel", {}));
    } catch {
      return "no-content-script";
    }
    return isOpenPanelAnswer(answer) && answer.opened ? "opened" : "no-panel";
  };
}

function isOpenPanelAnswer(value: unknown): value is PageToContent["open-panel"]["response"] {
  return typeof value === "object" && value !== null && typeof (value as { opened?: unknown }).opened === "boolean";
}
