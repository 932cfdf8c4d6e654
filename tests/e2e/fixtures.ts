import { test as base, expect } from "@playwright/test";
import { startFakeHub, type FakeHub } from "../fake-hub/server";
import { launchWithExtension, type ExtensionBrowser } from "./browser";
import type { Driver } from "./driver";
import { launchFirefoxWithExtension, type FirefoxWithExtension } from "./firefox/launch";
import { createPuppeteerFirefoxDriver, extensionProbe } from "./firefox/puppeteer-driver";
import { createPlaywrightDriver } from "./playwright-driver";

/** The browser a worker tests in, chosen by its Playwright project (playwright.config.ts). */
export type BrowserUnderTest = { name: "chromium"; chromium: ExtensionBrowser } | { name: "firefox"; firefox: FirefoxWithExtension };

/**
 * Each worker gets one fake Hub and one browser with the built extension; each test a fresh tab,
 * a clean request log and an extension with empty storage and caches.
 *
 * Scenarios are written against `driver` (tests/e2e/driver.ts) so that the same test runs in
 * Chromium and in Firefox (the `firefox` project, tests/e2e/firefox/).
 */
export const test = base.extend<
  { driver: Driver },
  { hub: FakeHub; browserUnderTest: BrowserUnderTest; chromiumBrowser: ExtensionBrowser; firefoxBrowser: FirefoxWithExtension }
>({
  hub: [
    async ({}, use) => {
      const hub = await startFakeHub();
      await use(hub);
      await hub.close();
    },
    { scope: "worker" },
  ],
  // One fixture launches whichever browser the project names, so a worker never starts both
  // (Playwright would set up every fixture a test's fixtures name, whatever the project).
  browserUnderTest: [
    async ({ hub }, use, workerInfo) => {
      if (workerInfo.project.name === "firefox") {
        const firefox = await launchFirefoxWithExtension(hub);
        // Open the storage probe tab now, so each test's tab is opened after it and is the active one.
        await extensionProbe(firefox);
        await use({ name: "firefox", firefox });
        await firefox.close();
      } else {
        const chromium = await launchWithExtension(hub);
        await use({ name: "chromium", chromium });
        await chromium.close();
      }
    },
    { scope: "worker" },
  ],
  /** For Chromium-only tests (Playwright APIs the Driver does not have); they must skip in Firefox. */
  chromiumBrowser: [
    async ({ browserUnderTest }, use) => {
      if (browserUnderTest.name !== "chromium") throw new Error("chromiumBrowser is Chromium-only: skip this test in the firefox project");
      await use(browserUnderTest.chromium);
    },
    { scope: "worker" },
  ],
  /** For Firefox-only tests (tests/e2e/firefox/); they must skip in Chromium. */
  firefoxBrowser: [
    async ({ browserUnderTest }, use) => {
      if (browserUnderTest.name !== "firefox") throw new Error("firefoxBrowser is Firefox-only: run this test in the firefox project");
      await use(browserUnderTest.firefox);
    },
    { scope: "worker" },
  ],
  driver: async ({ browserUnderTest, hub }, use) => {
    let driver: Driver;
    let close: () => Promise<void>;
    if (browserUnderTest.name === "firefox") {
      const page = await browserUnderTest.firefox.browser.newPage();
      const firefox = browserUnderTest.firefox;
      driver = createPuppeteerFirefoxDriver(firefox, hub, page);
      firefox.proxy.refused.length = 0;
      close = async () => {
        await page.close();
        // Firefox's colour scheme is a browser-wide pref, not per page as in Playwright: put it back.
        await firefox.setPref("layout.css.prefers-color-scheme.content-override", 1);
      };
    } else {
      const page = await browserUnderTest.chromium.context.newPage();
      driver = createPlaywrightDriver(browserUnderTest.chromium, hub, page);
      close = () => page.close();
    }
    await driver.resetExtension();
    hub.resetLog();
    hub.clearFaults();
    await use(driver);
    await close();
  },
});

export { expect };
