import { test as base, expect } from "@playwright/test";
import { startFakeHub, type FakeHub } from "../fake-hub/server";
import { launchWithExtension, type ExtensionBrowser } from "./browser";
import type { Driver } from "./driver";
import { createPlaywrightDriver } from "./playwright-driver";

/**
 * Each worker gets one fake Hub and one browser with the built extension; each test a fresh tab,
 * a clean request log and an extension with empty storage and caches.
 *
 * Scenarios are written against `driver` (tests/e2e/driver.ts) so that the same test runs in
 * Chromium and in Firefox (the `firefox` project, tests/e2e/firefox/).
 */
export const test = base.extend<{ driver: Driver }, { hub: FakeHub; chromiumBrowser: ExtensionBrowser }>({
  hub: [
    async ({}, use) => {
      const hub = await startFakeHub();
      await use(hub);
      await hub.close();
    },
    { scope: "worker" },
  ],
  chromiumBrowser: [
    async ({ hub }, use) => {
      const browser = await launchWithExtension(hub);
      await use(browser);
      await browser.close();
    },
    { scope: "worker" },
  ],
  driver: async ({ chromiumBrowser, hub }, use) => {
    const page = await chromiumBrowser.context.newPage();
    const driver = createPlaywrightDriver(chromiumBrowser, hub, page);
    await driver.resetExtension();
    hub.resetLog();
    hub.clearFaults();
    await use(driver);
    await page.close();
  },
});

export { expect };
