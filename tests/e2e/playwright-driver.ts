import type { BrowserContext, Page } from "playwright-core";
import type { FakeHub } from "../fake-hub/server";
import type { ExtensionBrowser } from "./browser";
import type { ClickOptions, Driver } from "./driver";
import { resetExtensionScript } from "./reset-script";

/** Playwright locators pierce open shadow roots, so `host >>> inner` becomes a chained locator. */
function locate(page: Page, selector: string) {
  const [host, inner] = selector.split(">>>").map((part) => part.trim());
  const outer = page.locator(host ?? selector);
  return inner ? outer.locator(inner) : outer;
}

export function createPlaywrightDriver(browser: ExtensionBrowser, hub: FakeHub, page: Page): Driver & { page: Page; context: BrowserContext } {
  let current = page;
  // Tabs opened with newTab(); closed with the driver's first tab (the fixture closes that one).
  const tabs: Page[] = [page];
  page.once("close", () => {
    for (const extra of tabs.slice(1)) extra.close().catch(() => undefined);
  });
  const driver = {
    browserName: "chromium" as const,
    hub,
    context: browser.context,
    get page() {
      return current;
    },
    async goto(url: string) {
      await current.goto(url, { waitUntil: "load" });
    },
    async url() {
      return current.url();
    },
    async count(selector: string) {
      return locate(current, selector).count();
    },
    async attribute(selector: string, name: string) {
      const target = locate(current, selector).first();
      return (await target.count()) ? target.getAttribute(name) : null;
    },
    async text(selector: string) {
      const target = locate(current, selector).first();
      return (await target.count()) ? target.textContent() : null;
    },
    async click(selector: string, options: ClickOptions = {}) {
      await locate(current, selector).first().click(options);
    },
    async clickAt(x: number, y: number) {
      await current.mouse.click(x, y);
    },
    async press(key: string) {
      await current.keyboard.press(key === " " ? "Space" : key);
    },
    async wheel(x: number, y: number, deltaY: number) {
      await current.mouse.move(x, y);
      await current.mouse.wheel(0, deltaY);
    },
    async focus(selector: string) {
      await locate(current, selector).first().focus();
    },
    async fill(selector: string, text: string) {
      await locate(current, selector).first().fill(text);
    },
    async evaluate<R>(fn: string): Promise<R> {
      return current.evaluate<R>(fn);
    },
    async openExtensionPage(path: string) {
      await current.goto(`chrome-extension://${browser.extensionId}/${path}`, { waitUntil: "load" });
    },
    async extensionStorage() {
      return browser.worker.evaluate(async () => {
        const { storage } = (globalThis as unknown as { chrome: { storage: Record<string, { get(k: null): Promise<Record<string, unknown>> } | undefined> } }).chrome;
        const out: Record<string, Record<string, unknown>> = {};
        for (const area of ["local", "sync", "session"]) {
          const store = storage[area];
          if (store) out[area] = await store.get(null);
        }
        return out;
      });
    },
    async resetExtension() {
      await browser.worker.evaluate(resetExtensionScript());
    },
    async tabId() {
      // The tab whose URL is this page's (the extension sees URLs of its own pages and of Hub pages).
      const url = current.url();
      const ids = await browser.worker.evaluate(async (wanted: string) => {
        const { tabs } = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).chrome;
        return (await tabs.query({})).filter((tab) => tab.url === wanted).map((tab) => tab.id);
      }, url);
      const [id] = ids;
      if (ids.length !== 1 || typeof id !== "number") throw new Error(`Expected one tab at ${url}, found ${ids.length}.`);
      return id;
    },
    async newTab() {
      current = await browser.context.newPage();
      tabs.push(current);
    },
    async switchToTab(index: number) {
      const tab = tabs[index];
      if (!tab) throw new Error(`No tab ${index}: this driver opened ${tabs.length}.`);
      current = tab;
      await current.bringToFront();
    },
    async followNewTab(action: () => Promise<void>) {
      const opened = browser.context.waitForEvent("page");
      await action();
      current = await opened;
      tabs.push(current);
      await current.waitForLoadState("load");
    },
    async setColorScheme(scheme: "light" | "dark") {
      await current.emulateMedia({ colorScheme: scheme });
    },
    async screenshot(path: string) {
      await current.screenshot({ path });
    },
  };
  return driver;
}
