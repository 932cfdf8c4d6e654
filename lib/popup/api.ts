/**
 * What the popup needs from the extension, as an interface (Dark Reader's `Connector`): components/Popup.tsx
 * talks only to this, so it renders in unit tests with a mock, and lib/popup/extension-api.ts is the one
 * implementation that touches browser.*.
 */
import type { ResponseOf, ReviewedTokenEntry } from "../messaging/protocol";

export type TabVerdictState = ResponseOf<"tab-verdict">;
export type TokenReviewAnswer = ResponseOf<"token-review">;
export type KeptToken = ResponseOf<"token-session">;

export interface TargetTab {
  tabId: number;
}

export interface ExtensionApi {
  /** The tab the popup is about: an explicit one (popup.html?tab=N), else the active tab of the current window. */
  targetTab(): Promise<TargetTab | undefined>;
  /** The background's latest verdict for that tab (its cache: no request to the Hub). */
  tabVerdict(tabId: number): Promise<TabVerdictState>;
  /** Ask the tab's content script to open the badge's findings panel; false when no badge answered. */
  openPanel(tabId: number): Promise<boolean>;
  /**
   * The keyboard shortcut that opens the panel from the page (default Alt+Shift+H, as the user set it in the
   * browser's shortcut settings); undefined when none is set. Optional: the popup names the default without it.
   */
  openPanelShortcut?(): Promise<string | undefined>;
  reviewToken(token: string, options: { keepForSession: boolean }): Promise<TokenReviewAnswer>;
  reviewedTokens(): Promise<ReviewedTokenEntry[]>;
  forgetReview(id: string): Promise<ReviewedTokenEntry[]>;
  /** The token kept for this browser session, if the user asked to keep one. */
  keptToken(): Promise<KeptToken>;
  forgetKeptToken(): Promise<void>;
  /** False when the user's organization turned token review off (managed policy `disableTokenReview`). */
  tokenReviewAllowed(): Promise<boolean>;
}

/**
 * `?tab=<id>` names the tab explicitly: for a popup opened in a tab of its own (where the "active tab" would be
 * the popup itself), and for end-to-end tests. Anything but a plain positive integer is ignored.
 */
export function parseTargetTab(search: string): number | undefined {
  const raw = new URLSearchParams(search).get("tab");
  if (raw === null || !/^\d{1,10}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
