import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
// sharp comes with @wxt-dev/auto-icons (it renders the icons); the demo uses it to compose and check images.
import sharp, { type OverlayOptions } from "sharp";
import { CHROME_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from "../tests/e2e/browser";
import type { FakeHub } from "../tests/fake-hub/server";
import { checkFit, sizeProblem } from "./demo-fit";

/**
 * What the stores and the README show beside the scenes of demo-scenes.ts, written by `npm run demo`: the popup
 * over the page it is about (store-2) and the options page (store-6), at the store's size (1280x800, what the
 * Chrome Web Store asks for and AMO accepts), the popup and the options page in light and dark, and the toolbar
 * icon at its real sizes on light and dark toolbars.
 */

const HUB = "https://huggingface.co";
export const STORE = { width: 1280, height: 800 };
const POPUP_WIDTH = 380;

async function settled(page: Page, selector = '[data-hub-sentinel="repo"]') {
  await page.locator(selector).first().waitFor({ timeout: 15_000 });
  if (selector === '[data-hub-sentinel="repo"]') {
    await page.waitForFunction(() => {
      const level = document.querySelector('[data-hub-sentinel="repo"]')?.getAttribute("data-level");
      return typeof level === "string" && level !== "pending";
    }, null, { timeout: 15_000 });
  }
  await page.waitForTimeout(300);
}

/** The popup as the toolbar shows it, for the verdict of `page`'s tab. */
async function popupShot(browser: ExtensionBrowser, page: Page, path: string): Promise<Buffer> {
  const url = page.url();
  const [tabId] = await browser.worker.evaluate(async (wanted: string) => {
    const { tabs } = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).chrome;
    return (await tabs.query({})).filter((tab) => tab.url === wanted).map((tab) => tab.id);
  }, url);
  if (typeof tabId !== "number") throw new Error(`No tab at ${url}`);
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: POPUP_WIDTH, height: 600 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
  await popup.locator('[data-hub-sentinel="tab-summary"]:not([data-level="pending"])').waitFor({ timeout: 15_000 });
  await popup.locator('[data-part="panel-shortcut"]').waitFor({ timeout: 5_000 });
  await popup.waitForTimeout(200);
  const shot = await popup.screenshot({ path, fullPage: true });
  await popup.close();
  return shot;
}

async function optionsShot(browser: ExtensionBrowser, path: string): Promise<Buffer> {
  const options = await browser.context.newPage();
  await options.setViewportSize(STORE);
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.locator('[data-part="options-ready"]').waitFor({ timeout: 15_000 });
  // An entry, so the allowlist is not empty in the picture.
  await options.locator('[data-hub-sentinel="allowlist-input"]').fill("sentinel-verified/*");
  await options.locator('[data-part="allowlist-note"]').fill("Our own organization");
  await options.locator('[data-hub-sentinel="allowlist-add"]').click();
  await options.locator('[data-hub-sentinel="allowlist-entry"]').first().waitFor({ timeout: 5_000 });
  await options.waitForTimeout(200);
  const shot = await options.screenshot({ path });
  await options.close();
  return shot;
}

/** The popup and options pages in both schemes, and store-2 and store-6; returns what is wrong with any of them. */
export async function writeStoreAndThemeShots(hub: FakeHub, out: string): Promise<string[]> {
  const problems: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    const browser = await launchWithExtension(hub, { colorScheme: scheme, headless: true });
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize(STORE);
      await page.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
      await settled(page);
      const popup = await popupShot(browser, page, join(out, `${scheme}-popup.png`));
      await optionsShot(browser, join(out, `${scheme}-options.png`));
      console.log(`${scheme.padEnd(5)} popup and options page (${scheme}-popup.png, ${scheme}-options.png)`);
      if (scheme === "light") problems.push(...(await storeShots(browser, page, popup, out)));
    } finally {
      await browser.close().catch(() => undefined);
    }
  }
  return problems;
}

async function storeShots(browser: ExtensionBrowser, page: Page, popup: Buffer, out: string): Promise<string[]> {
  const problems: string[] = [];
  // 2: the toolbar popup over the page it is about (headless Chromium has no toolbar to photograph, so the
  // popup's own rendering is placed where the toolbar would open it).
  problems.push(...(await checkFit(page, "store-2-popup.png")));
  const behind = await page.screenshot();
  const { width = POPUP_WIDTH, height = 600 } = await sharp(popup).metadata();
  const shown = Math.min(height, STORE.height - 24);
  const framed = await sharp(popup)
    .extract({ left: 0, top: 0, width, height: shown })
    .extend({ top: 1, bottom: 1, left: 1, right: 1, background: "#9ca3af" })
    .png()
    .toBuffer();
  const composed = await sharp(behind)
    .composite([{ input: framed, left: STORE.width - width - 2 - 16, top: 8 }])
    .png()
    .toBuffer();
  await sharp(composed).toFile(join(out, "store-2-popup.png"));
  // 6: the options page.
  const options = await optionsShot(browser, join(out, "store-6-options.png"));
  for (const [name, image] of [["store-2-popup.png", composed], ["store-6-options.png", options]] as const) {
    const problem = sizeProblem(name, await sharp(image).metadata(), STORE);
    if (problem) problems.push(problem);
  }
  console.log("store 1280x800 store-2-popup.png, store-6-options.png (the popup over its page, the options page)");
  return problems;
}

/** The built icons at 1x (as a toolbar shows them) and enlarged, on light and dark toolbar colours. */
export async function writeIconPreview(out: string): Promise<void> {
  const sizes = [16, 32, 48, 96, 128];
  const toolbars = ["#f1f3f4", "#ffffff", "#3c3c3c", "#202124"];
  const cell = 140;
  const composites: OverlayOptions[] = [];
  for (const [row, background] of toolbars.entries()) {
    composites.push({ input: await sharp({ create: { width: cell * sizes.length, height: cell, channels: 4, background } }).png().toBuffer(), left: 0, top: row * cell });
    for (const [column, size] of sizes.entries()) {
      const icon = readFileSync(join(CHROME_EXTENSION_DIR, "icons", `${size}.png`));
      composites.push({ input: icon, left: column * cell + 8, top: row * cell + 8 });
      // 16 and 32 also enlarged (nearest neighbour), to see every pixel of what the toolbar shows.
      if (size <= 32) {
        const scale = size === 16 ? 5 : 3;
        composites.push({ input: await sharp(icon).resize(size * scale, size * scale, { kernel: "nearest" }).toBuffer(), left: column * cell + 8 + size + 6, top: row * cell + 8 });
      }
    }
  }
  await sharp({ create: { width: cell * sizes.length, height: cell * toolbars.length, channels: 4, background: "#ffffff" } })
    .composite(composites)
    .png()
    .toFile(join(out, "icons-on-toolbars.png"));
  console.log("icons 16/32/48/96/128 on light and dark toolbars (icons-on-toolbars.png)");
}
