import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import type { FakeHub } from "../fake-hub/server";

export const OUTPUT_DIR = resolve(process.env.WXT_OUT_DIR ?? ".output");
export const CHROME_EXTENSION_DIR = join(OUTPUT_DIR, "chrome-mv3");
export const FIREFOX_EXTENSION_DIR = join(OUTPUT_DIR, "firefox-mv2");

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}. Install it with 'apt-get install chromium' or set CHROMIUM_PATH.`);
  }
  return path;
}

/** Flags for a Chromium that reaches the fake Hub, with or without the extension (benchmarks compare both). */
export function chromiumArgs(hub: Pick<FakeHub, "port" | "spkiHash">): string[] {
  return [
    `--host-resolver-rules=MAP * 127.0.0.1:${hub.port}`,
    `--ignore-certificate-errors-spki-list=${hub.spkiHash}`,
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    // Chromium's own calls home (autofill, hints, domain reliability) would reach the fake Hub
    // through the host map and be taken for the extension's: the security suite checks every host.
    "--disable-features=AutofillServerCommunication,OptimizationHints,OptimizationGuideModelDownloading,MediaRouter,Translate",
    "--disable-domain-reliability",
    "--no-pings",
  ];
}

/**
 * Chromium with the built extension, every host mapped to the fake Hub (so any request to
 * another host is logged there), and only the fake Hub's certificate trusted.
 */
export async function launchWithExtension(hub: FakeHub, options: { colorScheme?: "light" | "dark"; extensionDir?: string; headless?: boolean } = {}) {
  const extensionDir = options.extensionDir ?? CHROME_EXTENSION_DIR;
  if (!existsSync(join(extensionDir, "manifest.json"))) throw new Error(`No built extension in ${extensionDir}: run 'npm run build' first.`);
  const profile = mkdtempSync(join(tmpdir(), "hub-sentinel-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    colorScheme: options.colorScheme ?? "light",
    viewport: { width: 1280, height: 800 },
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...chromiumArgs(hub)],
  });
  let worker = context.serviceWorkers()[0];
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 10_000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    worker,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type ExtensionBrowser = Awaited<ReturnType<typeof launchWithExtension>> & { context: BrowserContext };
