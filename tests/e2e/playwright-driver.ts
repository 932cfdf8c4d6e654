import type { BrowserContext, Page } from "playwright-core";
import type { FakeHub } from "../fake-hub/server";
import type { ExtensionBrowser } from "./browser";
import type { Driver } from "./driver";

/** Playwright locators pierce open shadow roots, so `host >>> inner` becomes a chained locator. */
function locate(page: Page, selector: string) {
  const [host, inner] = selector.split(">>>").map((part) => part.trim());
  const outer = page.locator(host ?? selector);
  return inner ? outer.locator(inner) : outer;
}

export function createPlaywrightDriver(browser: ExtensionBrowser, hub: FakeHub, page: Page): Driver & { page: Page; context: BrowserContext } {
  let current = page;
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
    async click(selector: string) {
      await locate(current, selector).first().click();
    },
    async clickAt(x: number, y: number) {
      await current.mouse.click(x, y);
    },
    async press(key: string) {
      await current.keyboard.press(key === " " ? "Space" : key);
    },
    async focus(selector: string) {
      await locate(current, selector).first().focus();
    },
    async fill(selector: string, text: string) {
      await locate(current, selector).first().fill(text);
    },
    async evaluate<R>(fn: string) {
      return current.evaluate(fn) as Promise<R>;
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
      await browser.worker.evaluate(async () => {
        const { storage } = (globalThis as unknown as { chrome: { storage: Record<string, { clear(): Promise<void>; set(v: object): Promise<void> } | undefined> } }).chrome;
        await storage.local?.clear();
        await storage.sync?.clear();
        await storage.session?.clear();
        // Bumping the generation is what "clear cached facts" does: the background drops its memory cache.
        await storage.local?.set({ "cache:generation": Date.now() });
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
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
