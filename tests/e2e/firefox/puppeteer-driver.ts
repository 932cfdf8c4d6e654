import type { ElementHandle, KeyInput, Page } from "puppeteer-core";
import type { FakeHub } from "../../fake-hub/server";
import { waitUntil, type ClickOptions, type Driver, type DriverKey } from "../driver";
import type { FirefoxWithExtension } from "./launch";
import { resetExtensionScript } from "../reset-script";

/**
 * The Driver (tests/e2e/driver.ts) in Firefox ESR, through puppeteer over WebDriver BiDi.
 *
 * Selectors behave as Playwright's do in Chromium, so one scenario means the same in both: a plain
 * CSS selector also matches inside open shadow roots, and `host >>> inner` looks for `inner` in each
 * host's subtree and shadow root. Puppeteer's own `>>>` is close but does not pierce for a plain
 * selector, so the query runs in the page instead (DEEP_QUERY).
 */

// Page-side source, kept as a string: puppeteer serializes functions with toString(), and the test
// transpiler may add helpers (e.g. __name) that do not exist in the page.
const DEEP_QUERY = `(selector) => {
  const deepAll = (root, css) => {
    const found = [];
    const visit = (node) => {
      for (const el of node.querySelectorAll(css)) found.push(el);
      for (const el of node.querySelectorAll("*")) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(root);
    if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
    return found;
  };
  const parts = selector.split(">>>").map((part) => part.trim());
  let scope = deepAll(document, parts[0]);
  for (const inner of parts.slice(1)) scope = [...new Set(scope.flatMap((host) => deepAll(host, inner)))];
  return scope;
}`;

const queryAll = (selector: string) => `(${DEEP_QUERY})(${JSON.stringify(selector)})`;

/** Raw BiDi, for what puppeteer does not wrap: navigating without waiting for a load event. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

function contextIdOf(page: Page): string {
  const id = (page.mainFrame() as unknown as { _id?: unknown })._id;
  if (typeof id !== "string") throw new Error("puppeteer's BiDi frame has no browsing context id");
  return id;
}

/**
 * Firefox 153 sends no load event over BiDi for moz-extension:// pages (toolchain.md), so an
 * extension page is opened with `wait: "none"` and polled until it is loaded and has its APIs.
 */
export async function openExtensionUrl(firefox: FirefoxWithExtension, page: Page, path: string): Promise<void> {
  const url = new URL(path, firefox.extensionOrigin).href;
  const connection = (firefox.browser as unknown as { connection: BidiConnection }).connection;
  // Mark the document being left: opening the page it already shows (the popup again) must wait
  // for the new document, not take the old one, which has the same URL and is complete too.
  await page.evaluate(`window.__hubSentinelLeaving = true`).catch(() => undefined);
  await connection.send("browsingContext.navigate", { context: contextIdOf(page), url, wait: "none" });
  await waitUntil(
    async () => {
      const state = await page.evaluate(
        `({ href: location.href, ready: document.readyState, fresh: !window.__hubSentinelLeaving, api: typeof browser === "object" && !!browser.storage })`,
      );
      const { href, ready, fresh, api } = state as { href: string; ready: string; fresh: boolean; api: boolean };
      return href === url && ready === "complete" && fresh && api;
    },
    `${url} to load`,
  );
}

/** The add-on's storage, read from one of its own pages (Firefox gives the background page no BiDi realm). */
const READ_STORAGE = `(async () => {
  const out = {};
  for (const area of ["local", "sync", "session"]) {
    if (browser.storage[area]) out[area] = await browser.storage[area].get(null);
  }
  return out;
})()`;

const RESET_STORAGE = resetExtensionScript();

/**
 * A background tab on the add-on's own manifest.json: a document of the extension's origin that runs
 * none of its code, so `browser.storage` can be read and cleared there without side effects.
 * Kept for the whole worker (opening one costs ~0.3 s).
 */
export async function extensionProbe(firefox: FirefoxWithExtension): Promise<Page> {
  const page = firefox.firstPage;
  if (!page.url().startsWith(firefox.extensionOrigin)) await openExtensionUrl(firefox, page, "manifest.json");
  return page;
}

export function createPuppeteerFirefoxDriver(firefox: FirefoxWithExtension, hub: FakeHub, page: Page): Driver & { page: Page; firefox: FirefoxWithExtension } {
  let current = page;
  // Tabs opened with newTab(); closed with the driver's first tab (the fixture closes that one).
  const tabs: Page[] = [page];
  page.once("close", () => {
    for (const extra of tabs.slice(1)) extra.close().catch(() => undefined);
  });

  async function handles(selector: string): Promise<ElementHandle[]> {
    const array = await current.evaluateHandle(queryAll(selector));
    try {
      const properties = await array.getProperties();
      const elements: ElementHandle[] = [];
      for (const [key, value] of properties) {
        const element = value.asElement();
        if (/^\d+$/.test(key) && element) elements.push(element as ElementHandle);
        else await value.dispose();
      }
      return elements;
    } finally {
      await array.dispose();
    }
  }

  /** The first match, or null; the others are released. */
  async function first(selector: string): Promise<ElementHandle | null> {
    const [head, ...rest] = await handles(selector);
    await Promise.all(rest.map((handle) => handle.dispose()));
    return head ?? null;
  }

  /** As Playwright's actions do: wait for the element to be there and have a box before acting. */
  async function actionable(selector: string): Promise<ElementHandle> {
    return waitUntil(async () => {
      const element = await first(selector);
      if (!element) return null;
      if (await element.boundingBox()) return element;
      await element.dispose();
      return null;
    }, `${selector} to be visible`);
  }

  async function withFirst<R>(selector: string, fallback: R, use: (element: ElementHandle) => Promise<R>): Promise<R> {
    const element = await first(selector);
    if (!element) return fallback;
    try {
      return await use(element);
    } finally {
      await element.dispose();
    }
  }

  async function withActionable(selector: string, use: (element: ElementHandle) => Promise<void>): Promise<void> {
    const element = await actionable(selector);
    try {
      await use(element);
    } finally {
      await element.dispose();
    }
  }

  // A value, then returned (as in the Playwright driver): the optional tab methods type-check even
  // where Driver does not declare them yet, which a returned literal's excess-property check would refuse.
  const driver = {
    browserName: "firefox" as const,
    hub,
    firefox,
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
      return current.evaluate(`${queryAll(selector)}.length`) as Promise<number>;
    },
    async attribute(selector: string, name: string) {
      return withFirst(selector, null, (element) => element.evaluate((el, attr) => el.getAttribute(attr), name));
    },
    async text(selector: string) {
      return withFirst(selector, null, (element) => element.evaluate((el) => el.textContent));
    },
    async click(selector: string, options: ClickOptions = {}) {
      const modifiers = options.modifiers ?? [];
      await withActionable(selector, async (element) => {
        for (const key of modifiers) await current.keyboard.down(key);
        try {
          await element.click({ button: options.button ?? "left" });
        } finally {
          for (const key of [...modifiers].reverse()) await current.keyboard.up(key);
        }
      });
    },
    async clickAt(x: number, y: number) {
      await current.mouse.click(x, y);
    },
    async press(key: DriverKey) {
      if (key === "Shift+Tab") {
        await current.keyboard.down("Shift");
        await current.keyboard.press("Tab");
        await current.keyboard.up("Shift");
      } else await current.keyboard.press(key satisfies KeyInput);
    },
    async wheel(x: number, y: number, deltaY: number) {
      await current.mouse.move(x, y);
      await current.mouse.wheel({ deltaY });
    },
    async focus(selector: string) {
      await withActionable(selector, (element) => element.focus());
    },
    async fill(selector: string, text: string) {
      // As Playwright's fill: focus, replace the whole value, then one `input` event (it
      // inserts text, it does not press keys). Typing key by key was lost now and then in Firefox when
      // a tab had just been opened and focus was still moving to it.
      await withActionable(selector, async (element) => {
        await element.focus();
        await element.evaluate((el, value) => {
          const input = el as HTMLInputElement | HTMLTextAreaElement;
          const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
          Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(input, value);
          input.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true, inputType: "insertText", data: value }));
        }, text);
      });
    },
    async evaluate<R>(fn: string) {
      // Playwright calls a string that evaluates to a function, and awaits a promise: do the same.
      return current.evaluate(`(async () => { const value = (${fn}); return typeof value === "function" ? await value() : await value; })()`) as Promise<R>;
    },
    async openExtensionPage(path: string) {
      await openExtensionUrl(firefox, current, path);
    },
    async extensionStorage() {
      return (await extensionProbe(firefox)).evaluate(READ_STORAGE) as Promise<Record<string, Record<string, unknown>>>;
    },
    async resetExtension() {
      await (await extensionProbe(firefox)).evaluate(RESET_STORAGE);
    },
    async tabId() {
      // The tabs API id of the tab showing this page's URL, asked from the add-on's own page (without
      // the "tabs" permission it sees URLs of Hub tabs and of its own pages only, which is enough).
      const url = current.url();
      const ids = (await (await extensionProbe(firefox)).evaluate(
        `browser.tabs.query({}).then((all) => all.filter((tab) => tab.url === ${JSON.stringify(url)}).map((tab) => tab.id))`,
      )) as number[];
      const [id] = ids;
      if (ids.length !== 1 || typeof id !== "number") throw new Error(`Expected one tab at ${url}, found ${ids.length}.`);
      return id;
    },
    async newTab() {
      current = await firefox.browser.newPage();
      tabs.push(current);
    },
    async switchToTab(index: number) {
      const tab = tabs[index];
      if (!tab) throw new Error(`No tab ${index}: this driver opened ${tabs.length}.`);
      current = tab;
      await current.bringToFront();
    },
    async followNewTab(action: () => Promise<void>) {
      const known = new Set(await firefox.browser.pages());
      await action();
      // The add-on opens it with browser.tabs.create: a new top-level browsing context, which
      // puppeteer lists as a page once BiDi has reported it.
      const opened = await waitUntil(async () => (await firefox.browser.pages()).find((candidate) => !known.has(candidate)), "the tab the extension opened");
      current = opened;
      tabs.push(current);
      await waitUntil(() => current.evaluate(() => document.readyState === "complete"), "the opened tab's load");
    },
    async setColorScheme(scheme: "light" | "dark") {
      await firefox.setPref("layout.css.prefers-color-scheme.content-override", scheme === "dark" ? 0 : 1);
    },
    async screenshot(path: string) {
      await current.screenshot({ path });
    },
  };
  return driver;
}
