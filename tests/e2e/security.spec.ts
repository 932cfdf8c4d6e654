import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STORAGE_HOST_MATCHES } from "../../lib/hub/storage-hosts";
import { CHROME_EXTENSION_DIR, FIREFOX_EXTENSION_DIR } from "./browser";
import { expect, test } from "./fixtures";
import { afterHydration, finalLevel, HUB, REPO_BADGE, waitUntil, type Driver } from "./driver";

/**
 * The security suite's in-browser half (the rest is in tests/unit/security and the unit tests of
 * the router and the token service): hostile page data renders as text, web pages cannot talk to
 * the extension, the extension talks to the Hub's hosts only, and the built manifest asks for
 * exactly the permissions it needs.
 */

/** Every element inside every one of our shadow roots that could run code or load something. */
const DANGEROUS_IN_OUR_UI = `
  Array.from(document.querySelectorAll("[data-hub-sentinel]"))
    .flatMap((host) => host.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll("script, iframe, object, embed, img, svg, [onerror], [onload], [onclick], a[href^='javascript:'], a[href^='data:']")) : [])
    .map((el) => el.outerHTML.slice(0, 120))`;

/** Text of all our annotations' shadow roots. */
const OUR_TEXT = `Array.from(document.querySelectorAll("[data-hub-sentinel]")).map((host) => host.shadowRoot ? host.shadowRoot.textContent : "").join("\\n")`;

async function noInjectedMarkup(driver: Driver) {
  expect(await driver.evaluate<string[]>(DANGEROUS_IN_OUR_UI)).toEqual([]);
  // Nothing of the hostile strings became markup in the page itself either.
  expect(await driver.evaluate<number>(`document.querySelectorAll('img[src="x"], svg[onload]').length`)).toBe(0);
}

test.describe("hostile strings render as text and run nothing", () => {
  test("repo name, file names, PR titles, scanner messages and imports in the findings panel", async ({ driver }) => {
    await driver.goto(`${HUB}/hostile-strings/xss-probe`);
    expect(await finalLevel(driver)).toBe("danger");
    await afterHydration(driver);
    await driver.click(`${REPO_BADGE} >>> button.badge`);
    await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the panel");
    const text = await driver.evaluate<string>(OUR_TEXT);
    // The file name and the scanner's message arrive as literal text.
    expect(text).toContain('"><img src=x onerror=alert(1)>.bin');
    expect(text).toContain("<script>alert('scanner')</script>");
    await noInjectedMarkup(driver);
    // The scanner's javascript: report link is not a link.
    expect(await driver.count(`${REPO_BADGE} >>> a[href^="javascript:"]`)).toBe(0);
  });

  test("file rows and PR rows on the same repo", async ({ driver }) => {
    await driver.goto(`${HUB}/hostile-strings/xss-probe/tree/main/weights`);
    await finalLevel(driver);
    await waitUntil(() => driver.count('[data-hub-sentinel="file"]'), "a file annotation");
    await noInjectedMarkup(driver);
    await driver.goto(`${HUB}/hostile-strings/xss-probe/discussions`);
    await finalLevel(driver);
    await waitUntil(() => driver.count('[data-hub-sentinel="pr"]'), "a PR annotation");
    await noInjectedMarkup(driver);
  });
});

test.describe("isolation", () => {
  test("a web page cannot message the extension", async ({ driver }) => {
    await driver.goto(`${HUB}/google-bert/bert-base-uncased`);
    await finalLevel(driver);
    // No externally_connectable: the page's world has no runtime to send with.
    const reachable = await driver.evaluate<boolean>(
      `(() => { const c = globalThis.chrome; const b = globalThis.browser; return Boolean((c && c.runtime && typeof c.runtime.sendMessage === "function") || (b && b.runtime && typeof b.runtime.sendMessage === "function")); })()`,
    );
    expect(reachable).toBe(false);
  });

  test("the extension talks to the Hub's hosts only, never with cookies", async ({ driver }) => {
    for (const path of [
      "/fresh-uploader-7/pickle-rce",
      "/quiet-lab/queued-scan",
      "/legacy-lab/old-bin-model/discussions",
      "/google-bert/bert-base-uncased/tree/main",
      "/spaces/space-builder/docker-oauth",
      "/models",
    ]) {
      await driver.goto(`${HUB}${path}`);
      if (path !== "/models") await finalLevel(driver);
    }
    await driver.openExtensionPage("popup.html");
    await driver.openExtensionPage("options.html");
    const allowed = new Set(["huggingface.co", "hf.co", ...STORAGE_HOST_MATCHES.map((match) => new URL(match.replace("*.", "wildcard.")).hostname)]);
    const hosts = [...new Set(driver.hub.log.map((entry) => entry.host))];
    for (const host of hosts) {
      const ok = allowed.has(host) || [...allowed].some((pattern) => pattern.startsWith("wildcard.") && host.endsWith(pattern.slice("wildcard".length)));
      expect(ok, `request to ${host}`).toBe(true);
    }
    // The extension's own requests (API and storage) carry no cookie: the verdict never depends on the session.
    const extensionRequests = driver.hub.log.filter((entry) => entry.path.startsWith("/api/") || entry.host !== "huggingface.co");
    expect(extensionRequests.length).toBeGreaterThan(0);
    expect(extensionRequests.filter((entry) => entry.cookie)).toEqual([]);
  });
});

test.describe("the built manifest", () => {
  const HUB_HOSTS = ["https://huggingface.co/*", "https://hf.co/*"];
  test("asks for storage and the Hub's hosts, nothing more", async ({ driver }) => {
    const dir = driver.browserName === "firefox" ? FIREFOX_EXTENSION_DIR : CHROME_EXTENSION_DIR;
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
      manifest_version: number;
      permissions?: string[];
      host_permissions?: string[];
      optional_permissions?: string[];
      externally_connectable?: unknown;
      web_accessible_resources?: unknown;
      content_scripts?: { matches: string[] }[];
    };
    const expectedHosts = [...HUB_HOSTS, ...STORAGE_HOST_MATCHES].sort();
    if (manifest.manifest_version === 3) {
      expect(manifest.permissions).toEqual(["storage"]);
      expect([...(manifest.host_permissions ?? [])].sort()).toEqual(expectedHosts);
    } else {
      expect([...(manifest.permissions ?? [])].sort()).toEqual(["storage", ...expectedHosts].sort());
    }
    expect(manifest.optional_permissions ?? []).toEqual([]);
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.web_accessible_resources).toBeUndefined();
    for (const script of manifest.content_scripts ?? []) expect([...script.matches].sort()).toEqual([...HUB_HOSTS].sort());
  });
});
