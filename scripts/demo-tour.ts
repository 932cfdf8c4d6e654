import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { CATALOGUE } from "../tests/fake-hub/catalogue";
import { repoPath } from "../tests/fake-hub/pages";
import { startFakeHub } from "../tests/fake-hub/server";
import { launchWithExtension } from "../tests/e2e/browser";
import { writeIconPreview, writeStoreAndThemeShots } from "./demo-store";

const OUT = resolve("demo-output");
const headed = Boolean(process.env.DISPLAY) && process.env.CI !== "true";
mkdirSync(OUT, { recursive: true });

const hub = await startFakeHub();
const tour = CATALOGUE.filter((repo) => repo.demo);
// Rate limits block the whole client for a while (as on the real Hub): keep that page last.
tour.sort((a, b) => Number(a.id.includes("rate-limited")) - Number(b.id.includes("rate-limited")));

for (const scheme of ["light", "dark"] as const) {
  const browser = await launchWithExtension(hub, { colorScheme: scheme, headless: !(headed && scheme === "light") });
  const page = await browser.context.newPage();
  for (const repo of scheme === "light" ? tour : tour.filter((r) => r.expect.level === "danger").slice(0, 1)) {
    const url = `https://huggingface.co${repoPath(repo)}`;
    await page.goto(url);
    const badge = page.locator('[data-hub-sentinel="repo"]');
    await badge.waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => { const level = document.querySelector('[data-hub-sentinel="repo"]')?.getAttribute("data-level"); return level !== undefined && level !== null && level !== "pending"; }, null, { timeout: 15_000 });
    const level = await badge.getAttribute("data-level");
    const name = repo.id.replace(/[^a-z0-9]+/gi, "_");
    await page.screenshot({ path: `${OUT}/${scheme}-${name}.png`, clip: { x: 0, y: 0, width: 1280, height: 420 } });
    if (repo.expect.level === "danger" && repo.id.startsWith("fresh-uploader")) {
      await badge.locator("button.badge").click();
      await page.waitForTimeout(150);
      await page.screenshot({ path: `${OUT}/${scheme}-${name}-panel.png`, clip: { x: 0, y: 0, width: 1280, height: 800 } });
      await page.keyboard.press("Escape");
    }
    console.log(`${scheme.padEnd(5)} ${level?.padEnd(8)} ${url}  (${repo.story})`);
  }
  if (scheme === "light") {
    // Beyond the repo badge: file rows, pull requests, listing cards, a leaked token, and the popup.
    const extras: [string, string, string][] = [
      ["file rows: pickle imports, scanner verdicts, last change", "/annot-lab/mixed-files/tree/main", '[data-hub-sentinel="file"]'],
      ["pull requests: is a conversion PR what it claims", "/annot-org/pr-mix/discussions", '[data-hub-sentinel="pr"]'],
      ["a listing: a compact mark per card", "/models", '[data-hub-sentinel="card"]'],
      ["a token visible on a page", "/annot-lab/mixed-files/blob/main/README.md", '[data-hub-sentinel="leak"]'],
    ];
    for (const [story, path, selector] of extras) {
      await page.goto(`https://huggingface.co${path}`);
      await page.locator(selector).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${OUT}/light-extra-${path.replace(/[^a-z0-9]+/gi, "_")}.png`, fullPage: false });
      console.log(`light ${String(await page.locator(selector).count()).padEnd(8)} https://huggingface.co${path}  (${story})`);
    }
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.locator('[data-hub-sentinel="token-input"]').fill("hf_ClassicWriteToken000000000000000aa");
    await popup.locator('[data-hub-sentinel="token-check"]').click();
    await popup.locator('[data-hub-sentinel="token-report"]').waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: `${OUT}/light-popup-token-review.png`, fullPage: true });
    console.log("light popup    a classic write token reviewed: broad, with links to a fine-grained replacement");
    await popup.close();
  }
  if (headed && scheme === "light") {
    console.log("\nThe browser stays open: browse the fake Hub, then close the window to finish.");
    await new Promise<void>((done) => browser.context.on("close", () => done()));
  }
  await browser.close().catch(() => undefined);
}
// Store-size screenshots (1280x800) and the popup and options page in light and dark, each in a browser of its
// own (the tour ends on a rate-limited repo, which makes the extension hold back its requests for a while).
await writeStoreAndThemeShots(hub, OUT);
await hub.close();
await writeIconPreview(OUT);
console.log(`\nScreenshots in ${OUT}`);
