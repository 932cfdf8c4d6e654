import { expect, test } from "./fixtures";
import { finalLevel, HUB, REPO_BADGE, tabsOf, waitUntil, type Driver } from "./driver";
import { commandsOf, iconsOf, runOpenPanelCommand, sendFromExtension, toolbarOf, type ToolbarState } from "./toolbar-probe";

/**
 * The toolbar button of the built extension, read through the browser's own API (chrome.action in Chromium,
 * browser.browserAction in Firefox MV2): its per-tab badge and title follow the tab's verdict, and go when
 * the tab leaves the repo. And the keyboard command's path to the findings panel.
 */

const RED: ToolbarState["color"] = [197, 34, 31, 255];
const AMBER: ToolbarState["color"] = [249, 171, 0, 255];
const GREY: ToolbarState["color"] = [95, 99, 104, 255];

/** Waits until the tab's button matches, and names what it showed last when it does not. */
async function toolbarBecomes(driver: Driver, tabId: number, wanted: { text: string; title: RegExp | string; color?: ToolbarState["color"] }): Promise<ToolbarState> {
  let seen: ToolbarState | undefined;
  return waitUntil(
    async () => {
      seen = await toolbarOf(driver, tabId);
      const titleMatches = typeof wanted.title === "string" ? seen.title === wanted.title : wanted.title.test(seen.title);
      const colorMatches = !wanted.color || JSON.stringify(seen.color) === JSON.stringify(wanted.color);
      return seen.text === wanted.text && titleMatches && colorMatches ? seen : undefined;
    },
    `the toolbar of tab ${tabId} to show ${JSON.stringify(wanted.text)} / ${String(wanted.title)}`,
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (last seen: ${JSON.stringify(seen)})`);
  });
}

test.describe("icon", () => {
  test("the manifest names an icon of each size, each file decodes at that size, and the toolbar button has its own", async ({ driver }) => {
    const { icons, action } = await iconsOf(driver);
    expect(Object.keys(icons).sort((a, b) => Number(a) - Number(b))).toEqual(["16", "32", "48", "96", "128"]);
    for (const [size, icon] of Object.entries(icons)) expect([icon.width, icon.height], icon.path).toEqual([Number(size), Number(size)]);
    expect(action).toEqual({ 16: "icons/16.png", 32: "icons/32.png", 48: "icons/48.png" });
  });
});

test.describe("toolbar badge per tab", () => {
  test("follows each tab's verdict: danger, warn, unknown, ok", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    expect(await finalLevel(driver)).toBe("danger");
    const dangerTab = await tabs.tabId();
    await toolbarBecomes(driver, dangerTab, { text: "!", color: RED, title: /^Hub Sentinel: Danger, \d+ findings for fresh-uploader-7\/pickle-rce$/ });

    await tabs.newTab();
    await driver.goto(`${HUB}/remote-arch/custom-model`);
    expect(await finalLevel(driver)).toBe("warn");
    const warnTab = await tabs.tabId();
    await toolbarBecomes(driver, warnTab, { text: "!", color: AMBER, title: /^Hub Sentinel: Warning, \d+ findings? for remote-arch\/custom-model$/ });

    await tabs.newTab();
    await driver.goto(`${HUB}/broken-org/server-error`);
    expect(await finalLevel(driver)).toBe("unknown");
    const unknownTab = await tabs.tabId();
    await toolbarBecomes(driver, unknownTab, { text: "?", color: GREY, title: /^Hub Sentinel: Unknown, \d+ findings? for broken-org\/server-error$/ });

    await tabs.newTab();
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    const okTab = await tabs.tabId();
    await toolbarBecomes(driver, okTab, { text: "", title: "Hub Sentinel: OK, no findings for sentinel-verified/tiny-safetensors" });

    // Each tab kept its own.
    expect((await toolbarOf(driver, dangerTab)).text).toBe("!");
    expect((await toolbarOf(driver, warnTab)).color).toEqual(AMBER);
    expect((await toolbarOf(driver, unknownTab)).text).toBe("?");
  });

  test("a Space says so, and a repo that failed shows its verdict once the Hub answers again", async ({ driver }) => {
    const tabs = tabsOf(driver);
    driver.hub.setFault("sentinel-verified/tiny-safetensors", "info", { kind: "status", status: 503 });
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("unknown");
    const tabId = await tabs.tabId();
    await toolbarBecomes(driver, tabId, { text: "?", title: /^Hub Sentinel: Unknown, / });
    // The Hub answers again; "Clear cached facts" drops the failed answer the background still holds.
    driver.hub.clearFaults();
    await driver.resetExtension();
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    await toolbarBecomes(driver, tabId, { text: "", title: "Hub Sentinel: OK, no findings for sentinel-verified/tiny-safetensors" });

    await driver.goto(`${HUB}/spaces/space-builder/docker-oauth`);
    expect(await finalLevel(driver)).toBe("warn");
    await toolbarBecomes(driver, tabId, { text: "!", color: AMBER, title: /^Hub Sentinel: Warning, \d+ findings for Space space-builder\/docker-oauth$/ });
  });

  test("is cleared on a Hub page that is not a repo, and on a page that is not the Hub", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    expect(await finalLevel(driver)).toBe("danger");
    const tabId = await tabs.tabId();
    await toolbarBecomes(driver, tabId, { text: "!", title: /^Hub Sentinel: Danger/ });

    await driver.goto(`${HUB}/docs`);
    await toolbarBecomes(driver, tabId, { text: "", title: "Hub Sentinel" });

    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    expect(await finalLevel(driver)).toBe("danger");
    await toolbarBecomes(driver, tabId, { text: "!", title: /^Hub Sentinel: Danger/ });
    await driver.goto("about:blank");
    await toolbarBecomes(driver, tabId, { text: "", title: "Hub Sentinel" });
  });

  test("follows an allowlist change made on the options page, without a reload", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/remote-arch/custom-model`);
    expect(await finalLevel(driver)).toBe("warn");
    const tabId = await tabs.tabId();
    await toolbarBecomes(driver, tabId, { text: "!", color: AMBER, title: /^Hub Sentinel: Warning/ });

    await tabs.newTab();
    await driver.openExtensionPage("options.html");
    await waitUntil(() => driver.count('[data-part="options-ready"]'), "the options page to load its settings");
    await driver.fill('[data-hub-sentinel="allowlist-input"]', "remote-arch/*");
    await driver.click('[data-hub-sentinel="allowlist-add"]');
    await waitUntil(() => driver.count('[data-hub-sentinel="allowlist-entry"][data-value="remote-arch/*"]'), "the entry to be listed");
    await toolbarBecomes(driver, tabId, { text: "", title: /^Hub Sentinel: Info, \d+ findings? for remote-arch\/custom-model \(allowlisted\)$/ });

    await driver.click('[data-hub-sentinel="allowlist-entry"][data-value="remote-arch/*"] [data-part="entry-remove"]');
    await toolbarBecomes(driver, tabId, { text: "!", color: AMBER, title: /^Hub Sentinel: Warning, \d+ findings? for remote-arch\/custom-model$/ });
  });
});

test.describe("keyboard command", () => {
  test("is registered as Alt+Shift+H and opens the page's findings panel; Escape closes it", async ({ driver }) => {
    const command = (await commandsOf(driver)).find((entry) => entry.name === "open-findings-panel");
    expect(command?.shortcut?.replace(/\s/g, "")).toBe("Alt+Shift+H");
    expect(command?.description).toBe("Open the findings panel of this Hugging Face page");

    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    expect(await finalLevel(driver)).toBe("danger");
    const tabId = await tabs.tabId();
    expect(await driver.count(`${REPO_BADGE} >>> [role="dialog"]`)).toBe(0);
    // Chromium: the background's own command listener runs; Firefox: its message, from the extension (toolbar-probe.ts).
    await runOpenPanelCommand(driver, tabId, "open-findings-panel");
    await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the findings panel on the page");
    // Escape still closes it, as for a panel opened by a click.
    await driver.press("Escape");
    await waitUntil(async () => (await driver.count(`${REPO_BADGE} >>> [role="dialog"]`)) === 0, "the panel to close on Escape");
  });

  test("the content script answers the extension's open-panel message and opens the panel", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/remote-arch/custom-model`);
    expect(await finalLevel(driver)).toBe("warn");
    const tabId = await tabs.tabId();
    expect(await sendFromExtension(driver, tabId, { hubSentinel: 1, type: "open-panel", payload: {} })).toEqual({ opened: true });
    await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the findings panel on the page");
  });

  test("the popup names the shortcut as the browser holds it", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/remote-arch/custom-model`);
    expect(await finalLevel(driver)).toBe("warn");
    const tabId = await tabs.tabId();
    await tabs.newTab();
    await driver.openExtensionPage(`popup.html?tab=${tabId}`);
    await waitUntil(() => driver.count('[data-part="panel-shortcut"] kbd'), "the shortcut in the popup");
    expect((await driver.text('[data-part="panel-shortcut"] kbd'))?.replace(/\s/g, "")).toBe("Alt+Shift+H");
  });

  test("on a Hub page without a repo there is no panel to open", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/docs`);
    const tabId = await tabs.tabId();
    expect(await sendFromExtension(driver, tabId, { hubSentinel: 1, type: "open-panel", payload: {} })).toEqual({ opened: false });
  });
});
