import type { BrowserContext } from "playwright-core";
import type { Driver } from "./driver";
import type { FirefoxWithExtension } from "./firefox/launch";
import { extensionProbe } from "./firefox/puppeteer-driver";

/** The toolbar button of one tab as the browser holds it. */
export interface ToolbarState {
  text: string;
  title: string;
  /** rgba, as getBadgeBackgroundColor answers. */
  color: [number, number, number, number];
}

/**
 * Reads a tab's toolbar badge through the browser's own extension API, from inside the extension:
 * Chromium from its service worker (`chrome.action`), Firefox from one of the add-on's pages
 * (`browser.browserAction`, MV2; Firefox gives the background page no BiDi realm).
 */
export async function toolbarOf(driver: Driver, tabId: number): Promise<ToolbarState> {
  if (driver.browserName === "chromium") {
    const worker = serviceWorker(driver);
    return worker.evaluate(async (id: number) => {
      const action = (globalThis as unknown as { chrome: { action: ChromeActionRead } }).chrome.action;
      const [text, title, color] = await Promise.all([action.getBadgeText({ tabId: id }), action.getTitle({ tabId: id }), action.getBadgeBackgroundColor({ tabId: id })]);
      return { text, title, color };
    }, tabId);
  }
  const page = await extensionProbe(firefoxOf(driver));
  return (await page.evaluate(`(async () => {
    const action = browser.browserAction;
    const tabId = ${JSON.stringify(tabId)};
    const [text, title, color] = await Promise.all([action.getBadgeText({ tabId }), action.getTitle({ tabId }), action.getBadgeBackgroundColor({ tabId })]);
    return { text, title, color };
  })()`)) as ToolbarState;
}

/**
 * Sends a message to a tab's content script from the extension's background context, as the keyboard
 * command's handler does (lib/background/commands.ts): Chromium from the service worker itself, Firefox from
 * an extension page (the same extension origin the content script checks for).
 */
export async function sendFromExtension(driver: Driver, tabId: number, message: object): Promise<unknown> {
  if (driver.browserName === "chromium") {
    return serviceWorker(driver).evaluate(
      async ([id, body]: [number, object]) => (globalThis as unknown as { chrome: { tabs: { sendMessage(tabId: number, message: object): Promise<unknown> } } }).chrome.tabs.sendMessage(id, body),
      [tabId, message] as [number, object],
    );
  }
  const page = await extensionProbe(firefoxOf(driver));
  return page.evaluate(`browser.tabs.sendMessage(${JSON.stringify(tabId)}, ${JSON.stringify(message)})`);
}

/**
 * The keyboard command, as far as each browser lets a test reach it (no headless browser turns a synthesized key
 * press into an extension shortcut; tried with Alt+Shift+H in both):
 * - Chromium: `chrome.commands.onCommand.dispatch` in the service worker runs the listeners the background
 *   registered, so the real handler (lib/background/commands.ts via entrypoints/background.ts) sends the message.
 *   Only the key press is simulated. Resolves once dispatched; the panel opens asynchronously.
 * - Firefox: the background page has no realm a test can reach, so the handler's message is sent from an
 *   extension page, the same envelope from the same extension origin the content script checks for.
 */
export async function runOpenPanelCommand(driver: Driver, tabId: number, command: string): Promise<"dispatched" | "sent"> {
  if (driver.browserName === "chromium") {
    await serviceWorker(driver).evaluate(
      ([name, id]: [string, number]) =>
        (globalThis as unknown as { chrome: { commands: { onCommand: { dispatch(command: string, tab: { id: number }): void } } } }).chrome.commands.onCommand.dispatch(name, { id }),
      [command, tabId] as [string, number],
    );
    return "dispatched";
  }
  await sendFromExtension(driver, tabId, { hubSentinel: 1, type: "open-panel", payload: {} });
  return "sent";
}

/** The commands the browser registered for the extension, with their current shortcuts. */
export async function commandsOf(driver: Driver): Promise<{ name?: string; shortcut?: string; description?: string }[]> {
  if (driver.browserName === "chromium") {
    return serviceWorker(driver).evaluate(() => (globalThis as unknown as { chrome: { commands: { getAll(): Promise<{ name?: string; shortcut?: string; description?: string }[]> } } }).chrome.commands.getAll());
  }
  const page = await extensionProbe(firefoxOf(driver));
  return (await page.evaluate(`browser.commands.getAll()`)) as { name?: string; shortcut?: string; description?: string }[];
}

interface ChromeActionRead {
  getBadgeText(details: { tabId: number }): Promise<string>;
  getTitle(details: { tabId: number }): Promise<string>;
  getBadgeBackgroundColor(details: { tabId: number }): Promise<[number, number, number, number]>;
}

function serviceWorker(driver: Driver) {
  const context = (driver as Driver & { context?: BrowserContext }).context;
  const worker = context?.serviceWorkers()[0];
  if (!worker) throw new Error("The extension's service worker is not running.");
  return worker;
}

function firefoxOf(driver: Driver): FirefoxWithExtension {
  const firefox = (driver as Driver & { firefox?: FirefoxWithExtension }).firefox;
  if (!firefox) throw new Error("The Firefox driver carries no browser handle.");
  return firefox;
}

/** The manifest's icons and the toolbar button's, each with the pixel size the browser decodes from the file. */
export interface IconReport {
  icons: Record<string, { path: string; width: number; height: number }>;
  action: Record<string, string>;
}

const READ_ICONS = `(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const manifest = api.runtime.getManifest();
  const icons = {};
  for (const [size, path] of Object.entries(manifest.icons ?? {})) {
    const blob = await (await fetch(api.runtime.getURL(path))).blob();
    const bitmap = await createImageBitmap(blob);
    icons[size] = { path, width: bitmap.width, height: bitmap.height };
  }
  // Firefox answers with absolute moz-extension:// URLs, Chromium with the manifest's paths: compare paths.
  const asPath = (value) => new URL(value, api.runtime.getURL("/")).pathname.replace(/^[/]/, "");
  const declared = (manifest.action ?? manifest.browser_action ?? {}).default_icon ?? {};
  const action = Object.fromEntries(Object.entries(declared).map(([size, path]) => [size, asPath(path)]));
  for (const icon of Object.values(icons)) icon.path = asPath(icon.path);
  return { icons, action };
})()`;

export async function iconsOf(driver: Driver): Promise<IconReport> {
  if (driver.browserName === "chromium") return serviceWorker(driver).evaluate<IconReport>(READ_ICONS);
  return (await (await extensionProbe(firefoxOf(driver))).evaluate(READ_ICONS)) as IconReport;
}
