import type { FakeHub, LoggedRequest } from "../fake-hub/server";

/**
 * What an end-to-end scenario may do with a browser. Scenarios are written once against this
 * interface and run in Chromium (Playwright) and Firefox (puppeteer over WebDriver BiDi), so a
 * behaviour the two browsers should share is tested the same way in both.
 *
 * Selectors are CSS; `host >>> inner` reaches into an annotation's (open) shadow root.
 */
export interface Driver {
  browserName: "chromium" | "firefox";
  hub: FakeHub;
  /** Navigate the current tab and wait for the page's load event. */
  goto(url: string): Promise<void>;
  /** The page's current URL. */
  url(): Promise<string>;
  /** Number of elements matching a selector (light DOM, or `host >>> inner`). */
  count(selector: string): Promise<number>;
  /** An attribute of the first match, or null. */
  attribute(selector: string, name: string): Promise<string | null>;
  /** Text content of the first match, or null. */
  text(selector: string): Promise<string | null>;
  /** A real pointer click at the element's centre; `button` and modifier keys held as a person would (the download guard). */
  click(selector: string, options?: ClickOptions): Promise<void>;
  /** Click at page coordinates (outside everything of ours). */
  clickAt(x: number, y: number): Promise<void>;
  /** Keyboard input to whatever has focus. */
  press(key: DriverKey): Promise<void>;
  /** Turn the mouse wheel by `deltaY` pixels with the pointer at page coordinates (x, y). */
  wheel(x: number, y: number, deltaY: number): Promise<void>;
  /** Focus an element. */
  focus(selector: string): Promise<void>;
  /** Type into an input (replacing its value). */
  fill(selector: string, text: string): Promise<void>;
  /** Run a function in the page's main world. */
  evaluate<R>(fn: string): Promise<R>;
  /** Open one of the extension's own pages (popup.html, options.html) in the current tab. */
  openExtensionPage(path: string): Promise<void>;
  /** Everything in the extension's storage areas (local, sync, session), read from its background. */
  extensionStorage(): Promise<Record<string, Record<string, unknown>>>;
  /** Clear extension storage and its memory cache, as "clear cached facts" does. */
  resetExtension(): Promise<void>;
  // Tabs (popup.spec.ts). Optional until every driver has them: use `tabsOf(driver)`, which says which is missing.
  /** The browser's id (tabs API) of the current tab, e.g. to open popup.html?tab=<id> for it. */
  tabId?(): Promise<number>;
  /** Open a new tab and make it the current one; the tabs opened before stay open. */
  newTab?(): Promise<void>;
  /** Make the n-th tab this driver opened current (0: its first tab). */
  switchToTab?(index: number): Promise<void>;
  /**
   * Run `action` and make the tab it opens current (the extension opening options.html from the
   * findings panel); that tab counts as one this driver opened, so switchToTab(0) goes back.
   */
  followNewTab?(action: () => Promise<void>): Promise<void>;
  /** Emulate the colour scheme for the next navigations. */
  setColorScheme(scheme: "light" | "dark"): Promise<void>;
  screenshot(path: string): Promise<void>;
}

export interface ClickOptions {
  button?: "left" | "middle";
  modifiers?: ("Control" | "Shift" | "Meta" | "Alt")[];
}
/** The keys a scenario may press. */
export type DriverKey = "Enter" | "Escape" | "Tab" | " " | "Shift+Tab" | "End" | "PageDown";

/** The tab methods of a driver, or a clear failure naming the driver that lacks them. */
export function tabsOf(driver: Driver): Required<Pick<Driver, "tabId" | "newTab" | "switchToTab">> {
  const { tabId, newTab, switchToTab } = driver;
  if (!tabId || !newTab || !switchToTab) throw new Error(`The ${driver.browserName} driver cannot open or switch tabs yet (tabId, newTab, switchToTab).`);
  return { tabId: tabId.bind(driver), newTab: newTab.bind(driver), switchToTab: switchToTab.bind(driver) };
}

/**
 * The fake Hub's API requests once nothing more is on its way (row annotations may still ask after the badge is
 * final): every one answered but those a gate holds (`held`), and none new for a moment. A slow machine makes
 * this wait longer, never fail.
 */
export async function settledApiRequests(driver: Pick<Driver, "hub">, held: () => number = () => 0): Promise<LoggedRequest[]> {
  let count = -1;
  const unanswered = () => driver.hub.apiRequests().filter((entry) => entry.endTime === undefined).length;
  while (count !== driver.hub.apiRequests().length || unanswered() > held()) {
    count = driver.hub.apiRequests().length;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  return driver.hub.apiRequests();
}

/**
 * After the fake page's hydration has replaced its islands and rows (it sets data-hydrated on <html>): until
 * then a mark may be out of the page for a moment, between the row's replacement and its host being put back.
 */
export async function afterHydration(driver: Pick<Driver, "evaluate">): Promise<void> {
  await waitUntil(() => driver.evaluate<boolean>(`document.documentElement.getAttribute("data-hydrated") === "true"`), "hydration");
}

/** A mark's final level (not `pending`), read once hydration is done (afterHydration says why). */
export async function settledLevel(driver: Pick<Driver, "evaluate" | "attribute">, selector: string): Promise<string> {
  await afterHydration(driver);
  return waitUntil(async () => {
    const level = await driver.attribute(selector, "data-level");
    return level && level !== "pending" ? level : undefined;
  }, `a final level on ${selector}`);
}

/** Poll until `probe` returns something truthy; fail with `what` after the timeout. */
export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (${last.message})` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const HUB = "https://huggingface.co";
export const REPO_BADGE = '[data-hub-sentinel="repo"]';

/** Wait for the single repo badge to leave `pending`, and return its level. */
export async function finalLevel(driver: Driver, selector = REPO_BADGE): Promise<string> {
  return waitUntil(async () => {
    const level = await driver.attribute(selector, "data-level");
    return level && level !== "pending" ? level : undefined;
  }, `a final level on ${selector}`);
}

export async function findingsOf(driver: Driver, selector = REPO_BADGE): Promise<string[]> {
  return ((await driver.attribute(selector, "data-findings")) ?? "").split(" ").filter(Boolean);
}
