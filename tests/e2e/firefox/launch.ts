import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { FakeHub } from "../../fake-hub/server";
import { FIREFOX_EXTENSION_DIR } from "../browser";
import { startHubProxy, type HubProxy } from "./proxy";

/** The add-on id from wxt.config.ts (browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID = "hub-sentinel@hub-sentinel.dev";

export function firefoxPath(): string {
  return process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
}

export function firefoxMissingReason(): string | undefined {
  const path = firefoxPath();
  return existsSync(path) ? undefined : `Firefox not found at ${path}. Install it with 'apt-get install firefox-esr' or set FIREFOX_PATH.`;
}

/** Raw WebDriver BiDi access: puppeteer's BiDi browser has a `connection`, its types do not say so. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

export interface FirefoxWithExtension {
  browser: Browser;
  proxy: HubProxy;
  addonId: string;
  /** moz-extension://<uuid>/ — fixed before start through `extensions.webextensions.uuids`. */
  extensionOrigin: string;
  /** The tab puppeteer found at start (Firefox always has one; closing the last tab would end the window). */
  firstPage: Page;
  /** Set a Firefox pref in the running browser (chrome scope; needs --remote-allow-system-access). */
  setPref(name: string, value: number | boolean | string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Firefox ESR with the built firefox-mv2 extension, driven by puppeteer over WebDriver BiDi
 * (toolchain.md, "Firefox end to end"). Firefox has no host-resolver rules, so every request goes
 * through a local proxy that tunnels Hub hosts to the fake Hub and refuses (and records) the rest.
 */
export async function launchFirefoxWithExtension(
  hub: FakeHub,
  options: { extensionDir?: string; headless?: boolean; colorScheme?: "light" | "dark" } = {},
): Promise<FirefoxWithExtension> {
  const missing = firefoxMissingReason();
  if (missing) throw new Error(missing);
  const extensionDir = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  if (!existsSync(join(extensionDir, "manifest.json"))) {
    throw new Error(`No built Firefox extension in ${extensionDir}: run 'npx wxt build -b firefox' first (same WXT_OUT_DIR).`);
  }
  const proxy = await startHubProxy(hub.port);
  const profile = mkdtempSync(join(tmpdir(), "hub-sentinel-firefox-"));
  const uuid = randomUUID();
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: firefoxPath(),
      headless: options.headless ?? true,
      // Covers pages and the extension's background fetches to the fake Hub's self-signed certificate.
      acceptInsecureCerts: true,
      userDataDir: profile,
      defaultViewport: { width: 1280, height: 800 },
      // Opening moz-extension:// pages over BiDi, and the chrome-scope pref setter below, need system access.
      args: ["--remote-allow-system-access"],
      // Release builds ignore services.settings.server unless this is set; without it Firefox asks
      // firefox.settings.services.mozilla.com for blocklists every few hundred ms (refused by the proxy).
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: "1" },
      extraPrefsFirefox: {
        "network.proxy.type": 1,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy.port,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy.port,
        "network.proxy.no_proxies_on": "",
        "network.proxy.allow_hijacking_localhost": true,
        "network.http.http3.enable": false,
        "network.dns.disablePrefetch": true,
        "network.prefetch-next": false,
        "services.settings.server": "data:,#remote-settings-dummy/v1",
        "xpinstall.signatures.required": false,
        "extensions.webextensions.uuids": JSON.stringify({ [FIREFOX_ADDON_ID]: uuid }),
        // 0 = dark, 1 = light: what pages see as prefers-color-scheme (headless defaults to light too).
        "layout.css.prefers-color-scheme.content-override": options.colorScheme === "dark" ? 0 : 1,
      },
    });
    const addonId = await browser.installExtension(extensionDir);
    if (addonId !== FIREFOX_ADDON_ID) throw new Error(`Installed add-on id ${addonId}, expected ${FIREFOX_ADDON_ID} (wxt.config.ts)`);
    const firstPage = (await browser.pages())[0] ?? (await browser.newPage());
    const connection = (browser as unknown as { connection: BidiConnection }).connection;
    const launched = browser;
    return {
      browser,
      proxy,
      addonId,
      extensionOrigin: `moz-extension://${uuid}/`,
      firstPage,
      async setPref(name, value) {
        // BiDi has no prefers-color-scheme emulation in Firefox 153; a pref set in the browser
        // window's (chrome) realm applies to every tab at once, as the settings page does.
        const tree = (await connection.send("browsingContext.getTree", { "moz:scope": "chrome" })).result as { contexts: { context: string }[] };
        const context = tree.contexts[0]?.context;
        if (!context) throw new Error("No chrome browsing context to set a pref in");
        const setter = typeof value === "number" ? "setIntPref" : typeof value === "boolean" ? "setBoolPref" : "setStringPref";
        const answer = (await connection.send("script.evaluate", {
          expression: `Services.prefs.${setter}(${JSON.stringify(name)}, ${JSON.stringify(value)})`,
          target: { context },
          awaitPromise: false,
        })).result as { type: string; exceptionDetails?: { text?: string } };
        if (answer.type !== "success") throw new Error(`Setting ${name} failed: ${answer.exceptionDetails?.text ?? answer.type}`);
      },
      async close() {
        await launched.close();
        await proxy.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await proxy.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
