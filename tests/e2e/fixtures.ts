import { test as base, expect, type Page } from "@playwright/test";
import { startFakeHub, type FakeHub } from "../fake-hub/server";
import { launchWithExtension, type ExtensionBrowser } from "./browser";

/**
 * Each worker gets one fake Hub and one Chromium with the built extension; each test a fresh
 * page and a clean request log. The extension's cache is cleared between tests so counts and
 * levels do not leak from one test into the next.
 */
export const test = base.extend<{ page: Page; hubLog: FakeHub["log"] }, { hub: FakeHub; browserWithExtension: ExtensionBrowser }>({
  hub: [
    async ({}, use) => {
      const hub = await startFakeHub();
      await use(hub);
      await hub.close();
    },
    { scope: "worker" },
  ],
  browserWithExtension: [
    async ({ hub }, use) => {
      const browser = await launchWithExtension(hub);
      await use(browser);
      await browser.close();
    },
    { scope: "worker" },
  ],
  page: async ({ browserWithExtension, hub }, use) => {
    await clearExtensionCache(browserWithExtension);
    hub.resetLog();
    const page = await browserWithExtension.context.newPage();
    await use(page);
    await page.close();
  },
  hubLog: async ({ hub }, use) => {
    await use(hub.log);
  },
});

export async function clearExtensionCache(browser: ExtensionBrowser) {
  // Bumping the cache generation is how the options page's "clear cached facts" works too:
  // the background drops its memory cache when it sees the change.
  await browser.worker.evaluate(async () => {
    await chrome.storage.local.clear();
    await chrome.storage.session?.clear();
    await chrome.storage.local.set({ "cache:generation": Date.now() });
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
}

export const HUB = "https://huggingface.co";

/** The repo badge's host element. */
export function repoBadge(page: Page) {
  return page.locator('[data-hub-sentinel="repo"]');
}

export async function finalLevel(page: Page): Promise<string> {
  const badge = repoBadge(page);
  await expect(badge).toHaveCount(1);
  await expect(badge).not.toHaveAttribute("data-level", "pending", { timeout: 15_000 });
  return (await badge.getAttribute("data-level")) ?? "";
}

export { expect };
