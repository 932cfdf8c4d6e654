import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
// sharp comes with @wxt-dev/auto-icons (it renders the icons); the demo uses it to check and compose images.
import sharp from "sharp";
import { CATALOGUE } from "../tests/fake-hub/catalogue";
import { startFakeHub } from "../tests/fake-hub/server";
import { launchWithExtension, type ExtensionBrowser } from "../tests/e2e/browser";
import { checkFit, sizeProblem } from "./demo-fit";
import { FEATURE_SCENES, REAL_PAGE_SCENES, ROW_SCENES, STORE_SCENES, tourScenes, type Scene, type Scheme } from "./demo-scenes";
import { STORE, writeIconPreview, writeStoreAndThemeShots } from "./demo-store";

/**
 * `npm run demo` after the build (scripts/demo.mjs): the fake Hub, then every scene of demo-scenes.ts in light and
 * dark, each checked (1280×800, no mark or panel cut off) before it is written to demo-output/; then the popup,
 * the options page and the icons (demo-store.ts). With a display, the light browser stays open for you to click
 * around. Any picture that fails its check makes the demo fail, naming the picture and what is cut off.
 */
const OUT = resolve("demo-output");
const HUB = "https://huggingface.co";
const headed = Boolean(process.env.DISPLAY) && process.env.CI !== "true";
mkdirSync(OUT, { recursive: true });

const scenes: Scene[] = [...STORE_SCENES, ...REAL_PAGE_SCENES, ...ROW_SCENES, ...FEATURE_SCENES, ...tourScenes(CATALOGUE)];
const problems: string[] = [];

/** Every mark on the page has its verdict (none is `pending`), the page is hydrated and its fonts are in. */
async function settled(page: Page, scene: Scene) {
  await page.locator(scene.waitFor).first().waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll("[data-hub-sentinel]")).every((host) => host.getAttribute("data-level") !== "pending") &&
      (document.documentElement.getAttribute("data-hydrated") === "true" || !document.querySelector(".SVELTE_HYDRATER")),
    null,
    { timeout: 20_000 },
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Two animation frames: what was just laid out has been painted. */
const painted = (page: Page) => page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

async function photograph(page: Page, scene: Scene, scheme: Scheme): Promise<string> {
  const file = scene.store ? `${scene.name}.png` : `${scheme}-${scene.name}.png`;
  await page.goto(`${HUB}${scene.path}`);
  await settled(page, scene);
  if (scene.scrollTo) await page.locator(scene.scrollTo).first().evaluate((element) => element.scrollIntoView({ block: "start" }));
  if (scene.open) {
    await page.locator(scene.open).first().click();
    if (scene.opened) await page.locator(scene.opened).first().waitFor({ timeout: 10_000 });
  }
  if (scene.reveal) await page.locator(scene.reveal).first().evaluate((element) => element.scrollIntoView({ block: "start" }));
  await painted(page);
  problems.push(...(await checkFit(page, file)));
  const shot = await page.screenshot({ path: join(OUT, file) });
  const size = sizeProblem(file, await sharp(shot).metadata(), STORE);
  if (size) problems.push(size);
  const level = await page.locator('[data-hub-sentinel="repo"]').first().getAttribute("data-level", { timeout: 1_000 }).catch(() => null);
  console.log(`${scheme.padEnd(5)} ${(level ?? "").padEnd(8)} ${file.padEnd(44)} ${scene.caption}`);
  if (scene.open) await page.keyboard.press("Escape");
  return file;
}

async function tokenReviewShot(browser: ExtensionBrowser) {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.locator('[data-hub-sentinel="token-input"]').fill("hf_ClassicWriteToken000000000000000aa");
  await popup.locator('[data-hub-sentinel="token-check"]').click();
  await popup.locator('[data-hub-sentinel="token-report"]').waitFor({ timeout: 15_000 });
  await popup.screenshot({ path: join(OUT, "light-popup-token-review.png"), fullPage: true });
  console.log("light popup    light-popup-token-review.png                 a classic write token reviewed: broad, with links to a fine-grained replacement");
  await popup.close();
}

const hub = await startFakeHub();
try {
  for (const scheme of ["light", "dark"] as const) {
    const browser = await launchWithExtension(hub, { colorScheme: scheme, headless: !(headed && scheme === "light") });
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize(STORE);
      for (const scene of scenes.filter((candidate) => candidate.schemes.includes(scheme))) await photograph(page, scene, scheme);
      if (scheme === "light") await tokenReviewShot(browser);
      if (headed && scheme === "light") {
        console.log("\nThe browser stays open: browse the fake Hub, then close the window to finish.");
        await new Promise<void>((done) => browser.context.on("close", () => done()));
      }
    } finally {
      await browser.close().catch(() => undefined);
    }
  }
  // The popup over a page (store-2), the options page (store-6) and both in light and dark, each in a browser of
  // its own (the tour may end on a rate-limited repo, which makes the extension hold back its requests a while).
  problems.push(...(await writeStoreAndThemeShots(hub, OUT)));
  await writeIconPreview(OUT);
} finally {
  await hub.close();
}

if (problems.length > 0) {
  console.error(`\n${problems.length} picture problem${problems.length === 1 ? "" : "s"}: a mark or panel is cut off, or a picture has the wrong size.`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`\nEvery picture is ${STORE.width}×${STORE.height} and shows its marks and panels whole. Screenshots in ${OUT}`);
