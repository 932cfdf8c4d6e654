import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoggedRequest } from "../fake-hub/server";
import { GUARD_REPO_ID } from "../fake-hub/download-guard-catalogue";
import { CHROME_EXTENSION_DIR, launchWithExtension } from "./browser";
import { afterHydration, HUB, waitUntil, type Driver } from "./driver";
import { expect, test } from "./fixtures";
import { FIREFOX_ADDON_ID, launchFirefoxWithExtension } from "./firefox/launch";
import { createPuppeteerFirefoxDriver } from "./firefox/puppeteer-driver";
import { createPlaywrightDriver } from "./playwright-driver";
import { CHROMIUM_POLICY_FILE, chromiumUnpackedExtensionId, FIREFOX_POLICY_FILE, policyFileProblem, withPolicyFile } from "./policy-files";

/**
 * The download guard (issue 27; contract: "Download guard") in the real browsers against the fake
 * Hub, whose request log is the proof: a Danger or Unknown file's download is requested only after
 * a person says so, once; OK and Info files download at once, their click not even prevented.
 *
 * "Nothing was requested" is shown without waiting on the clock: after the held click, a file with
 * no mark is downloaded (config.json, straight through) and its request awaited; a download the
 * held click had let go would have been requested before it.
 */
const REPO = `${HUB}/${GUARD_REPO_ID}`;
const TREE = `${REPO}/tree/main`;
const GUARD = '[data-hub-sentinel="download-guard"]';
const PROCEED = `${GUARD} >>> [data-hub-sentinel="download-guard-proceed"]`;
const CANCEL = `${GUARD} >>> [data-hub-sentinel="download-guard-cancel"]`;
const DIALOG = `${GUARD} >>> [role="alertdialog"]`;
const ROW_DOWNLOAD = (path: string) => `a[download][href$="/resolve/main/${path}?download=true"]`;
const FILE_MARK = (path: string) => `[data-hub-sentinel="file"][data-path="${path}"]`;

/** Requests that download the file (a person's download: the extension's own reads of a file are Range requests). */
function downloadsOf(driver: Driver, path: string): LoggedRequest[] {
  return driver.hub.log.filter(
    (entry) =>
      (entry.host === "huggingface.co" || entry.host === "hf.co") &&
      entry.range === undefined &&
      [`/${GUARD_REPO_ID}/resolve/main/${path}`, `/${GUARD_REPO_ID}/raw/main/${path}`].some((prefix) => entry.path === prefix || entry.path.startsWith(`${prefix}?`)),
  );
}

/** The page after hydration (which replaces the rows) with every row's mark in: the guard knows each file's level. */
async function treeReady(driver: Driver, url = TREE) {
  await driver.goto(url);
  await afterHydration(driver);
  for (const path of ["pytorch_model.bin", "model.onnx", "checkpoint.pt", "model.keras"]) {
    await waitUntil(async () => ((await driver.attribute(FILE_MARK(path), "data-level")) ?? "pending") !== "pending", `the mark of ${path}`);
  }
}

/**
 * Downloads config.json (no mark: straight through) and waits for its request: what was asked before it has
 * reached the Hub. Clicked after hydration, which replaces the rows: a click on a row being replaced is lost.
 */
async function flush(driver: Driver) {
  await afterHydration(driver);
  const before = downloadsOf(driver, "config.json").length;
  await driver.click(ROW_DOWNLOAD("config.json"));
  await waitUntil(() => Promise.resolve(downloadsOf(driver, "config.json").length > before), "config.json's download to reach the Hub");
}

async function guardLevel(driver: Driver): Promise<string> {
  return waitUntil(() => driver.attribute(GUARD, "data-level"), "the download guard's dialog");
}

/** Whether the focus is inside the guard's dialog (document.activeElement is its host, the shadow root's is one of its controls). */
const FOCUS_IN_GUARD = `(() => { const host = document.activeElement; return host?.getAttribute("data-hub-sentinel") === "download-guard" && !!host.shadowRoot?.activeElement?.closest('[role="alertdialog"]'); })()`;

test.describe("the download guard", () => {
  test("a Danger file's download is held: the dialog says why, Cancel requests nothing and gives the focus back", async ({ driver }) => {
    await treeReady(driver);
    await driver.click(ROW_DOWNLOAD("pytorch_model.bin"));
    expect(await guardLevel(driver)).toBe("danger");
    expect(await driver.attribute(GUARD, "data-path")).toBe("pytorch_model.bin");
    expect(await driver.evaluate<boolean>(FOCUS_IN_GUARD)).toBe(true);
    expect(await driver.attribute(DIALOG, "aria-label")).toBe("Hub Sentinel: Danger. Held the download of pytorch_model.bin");
    const text = (await driver.text(DIALOG)) ?? "";
    // The same words as the row's mark, and what to do instead.
    expect(text).toContain("Dangerous pickle imports in pytorch_model.bin");
    expect(text).toContain("Imports builtins.exec: evaluates a code string");
    expect(await driver.attribute(`${DIALOG} a[href$="/blob/main/model.safetensors"]`, "href")).toBe(`${REPO}/blob/main/model.safetensors`);
    expect(await driver.count(`${DIALOG} a[href^="https://protectai.com/"]`)).toBe(1);
    expect(await driver.count(PROCEED)).toBe(1);

    await driver.click(CANCEL);
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");
    expect(await driver.evaluate<boolean>(`document.activeElement?.matches('${ROW_DOWNLOAD("pytorch_model.bin")}') === true`)).toBe(true);
    await flush(driver);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("an Unknown file's download is held too; Escape and a click outside cancel", async ({ driver }) => {
    await treeReady(driver);
    await driver.click(ROW_DOWNLOAD("model.onnx"));
    expect(await guardLevel(driver)).toBe("unknown");
    expect(await driver.text(DIALOG)).toContain("The Hub's scan of this file is queued.");
    await driver.press("Escape");
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "Escape to close the dialog");

    await driver.click(ROW_DOWNLOAD("model.onnx"));
    await guardLevel(driver);
    // The backdrop covers the page: a click in its corner is a click outside the dialog.
    await driver.clickAt(5, 5);
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "a click outside to close the dialog");
    await flush(driver);
    expect(downloadsOf(driver, "model.onnx")).toEqual([]);
  });

  test("Download anyway requests the file exactly once", async ({ driver }) => {
    await treeReady(driver);
    await driver.click(ROW_DOWNLOAD("pytorch_model.bin"));
    await guardLevel(driver);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
    await driver.click(PROCEED);
    await waitUntil(() => Promise.resolve(downloadsOf(driver, "pytorch_model.bin").length > 0), "the download to reach the Hub");
    expect(await driver.count(GUARD)).toBe(0);
    await flush(driver);
    expect(downloadsOf(driver, "pytorch_model.bin").map((entry) => entry.path)).toEqual([`/${GUARD_REPO_ID}/resolve/main/pytorch_model.bin?download=true`]);
  });

  test("OK and Info files, and files with no mark, download at once: no dialog, the click not even prevented", async ({ driver }) => {
    await treeReady(driver);
    // A listener of the page's own, after ours: it sees each click as the browser will act on it.
    await driver.evaluate(`(() => { window.__clicks = []; window.addEventListener("click", (event) => window.__clicks.push({ href: event.target.closest("a")?.getAttribute("href"), prevented: event.defaultPrevented })); })()`);
    for (const path of ["checkpoint.pt", "model.keras", "model.safetensors"]) {
      await driver.click(ROW_DOWNLOAD(path));
      await waitUntil(() => Promise.resolve(downloadsOf(driver, path).length === 1), `${path}'s download to reach the Hub`);
      expect(await driver.count(GUARD)).toBe(0);
    }
    const clicks = await driver.evaluate<{ href: string; prevented: boolean }[]>(`window.__clicks`);
    expect(clicks.map((click) => click.prevented)).toEqual([false, false, false]);
  });

  test("a file still pending when clicked: held, waiting; then held as Danger, or let through once when it turns out Info", async ({ driver }) => {
    // The repo's info answers only when the test releases it: the rows' marks stay pending until then.
    driver.hub.setFault(GUARD_REPO_ID, "info", { kind: "delay", ms: 60_000 });
    await driver.goto(TREE);
    await afterHydration(driver);
    await waitUntil(() => Promise.resolve(driver.hub.apiRequests().some((entry) => entry.path.startsWith(`/api/models/${GUARD_REPO_ID}/revision/`))), "the repo's info request");
    expect(await driver.count(FILE_MARK("pytorch_model.bin"))).toBe(0);

    await driver.click(ROW_DOWNLOAD("pytorch_model.bin"));
    expect(await guardLevel(driver)).toBe("pending");
    expect(await driver.attribute(DIALOG, "aria-label")).toBe("Hub Sentinel: checking pytorch_model.bin before it downloads");
    expect(await driver.count(PROCEED)).toBe(0);
    expect(await driver.evaluate<boolean>(FOCUS_IN_GUARD)).toBe(true);

    driver.hub.setFault(GUARD_REPO_ID, "info", undefined);
    driver.hub.releaseDelays();
    await waitUntil(async () => (await driver.attribute(GUARD, "data-level")) === "danger", "the dialog to turn Danger");
    expect(await driver.count(PROCEED)).toBe(1);
    await driver.click(CANCEL);
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");

    // Again, for a file that turns out fine: the download starts by itself, once.
    driver.hub.setFault(GUARD_REPO_ID, "info", { kind: "delay", ms: 60_000 });
    await driver.resetExtension();
    driver.hub.resetLog();
    await driver.goto(TREE);
    await afterHydration(driver);
    await waitUntil(() => Promise.resolve(driver.hub.apiRequests().some((entry) => entry.path.startsWith(`/api/models/${GUARD_REPO_ID}/revision/`))), "the repo's info request");
    await driver.click(ROW_DOWNLOAD("checkpoint.pt"));
    expect(await guardLevel(driver)).toBe("pending");
    expect(downloadsOf(driver, "checkpoint.pt")).toEqual([]);
    driver.hub.setFault(GUARD_REPO_ID, "info", undefined);
    driver.hub.releaseDelays();
    await waitUntil(() => Promise.resolve(downloadsOf(driver, "checkpoint.pt").length > 0), "checkpoint.pt's download once its mark is Info");
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to go");
    await flush(driver);
    expect(downloadsOf(driver, "checkpoint.pt")).toHaveLength(1);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("keyboard only: Tab to the link, Enter holds it, Tab stays in the dialog, Escape cancels and the focus is back on the link", async ({ driver }) => {
    await treeReady(driver);
    await driver.focus(`a[href$="/blob/main/pytorch_model.bin"]`);
    const onLink = `document.activeElement?.matches('${ROW_DOWNLOAD("pytorch_model.bin")}') === true`;
    for (let presses = 0; presses < 8 && !(await driver.evaluate<boolean>(onLink)); presses++) await driver.press("Tab");
    expect(await driver.evaluate<boolean>(onLink)).toBe(true);
    await driver.press("Enter");
    expect(await guardLevel(driver)).toBe("danger");
    expect(await driver.evaluate<boolean>(FOCUS_IN_GUARD)).toBe(true);
    // Cancel first: the choice that requests nothing.
    expect(await driver.evaluate<string>(`document.activeElement.shadowRoot.activeElement.getAttribute("data-hub-sentinel")`)).toBe("download-guard-cancel");
    const focused = () => driver.evaluate<string>(`document.activeElement.shadowRoot.activeElement.textContent`);
    // Round the dialog with Tab (its links of "what to do instead", then its buttons) and back with Shift+Tab, never leaving it.
    const round: string[] = [];
    for (let presses = 0; presses < 5; presses++) {
      await driver.press("Tab");
      expect(await driver.evaluate<boolean>(FOCUS_IN_GUARD)).toBe(true);
      round.push(await focused());
    }
    expect(round).toEqual(["model.safetensors", "Protect AI report", "Download anyway", "Cancel", "model.safetensors"]);
    await driver.press("Shift+Tab");
    expect(await focused()).toBe("Cancel");
    await driver.press("Escape");
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "Escape to close the dialog");
    expect(await driver.evaluate<boolean>(onLink)).toBe(true);
    await flush(driver);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("a middle click, a Ctrl/Cmd click and a Shift click are held like a plain click", async ({ driver }) => {
    await treeReady(driver);
    const gestures = [{ button: "middle" as const }, { modifiers: ["Control" as const] }, { modifiers: ["Meta" as const] }, { modifiers: ["Shift" as const] }];
    for (const gesture of gestures) {
      await driver.click(ROW_DOWNLOAD("pytorch_model.bin"), gesture);
      expect(await guardLevel(driver), JSON.stringify(gesture)).toBe("danger");
      await driver.press("Escape");
      await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");
    }
    await flush(driver);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("page scripts: a synthetic click on the link is held, and one on Download anyway does nothing", async ({ driver }) => {
    await treeReady(driver);
    await driver.evaluate(`document.querySelector('${ROW_DOWNLOAD("pytorch_model.bin")}').click()`);
    expect(await guardLevel(driver)).toBe("danger");
    await driver.evaluate(`document.querySelector('${GUARD}').shadowRoot.querySelector('[data-hub-sentinel="download-guard-proceed"]').click()`);
    // A second synthetic click on the link while the dialog is open is held too, and stacks nothing.
    await driver.evaluate(`document.querySelector('${ROW_DOWNLOAD("pytorch_model.bin")}').click()`);
    expect(await driver.count(GUARD)).toBe(1);
    expect(await driver.count(PROCEED)).toBe(1);
    await driver.click(CANCEL);
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");
    await flush(driver);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("the start of a drag is held too (a link dropped on the tab strip would open)", async ({ driver }) => {
    await treeReady(driver);
    const prevented = await driver.evaluate<boolean>(
      `(() => { const event = new DragEvent("dragstart", { bubbles: true, cancelable: true }); document.querySelector('${ROW_DOWNLOAD("pytorch_model.bin")}').dispatchEvent(event); return event.defaultPrevented; })()`,
    );
    expect(prevented).toBe(true);
    expect(await guardLevel(driver)).toBe("danger");
    await driver.press("Escape");
    // A file at Info drags as the page made it.
    expect(
      await driver.evaluate<boolean>(
        `(() => { const event = new DragEvent("dragstart", { bubbles: true, cancelable: true }); document.querySelector('${ROW_DOWNLOAD("checkpoint.pt")}').dispatchEvent(event); return event.defaultPrevented; })()`,
      ),
    ).toBe(false);
    expect(await driver.count(GUARD)).toBe(0);
  });

  test("a file page's download links are held, on hf.co too", async ({ driver }) => {
    for (const host of ["huggingface.co", "hf.co"]) {
      await driver.goto(`https://${host}/${GUARD_REPO_ID}/blob/main/pytorch_model.bin`);
      await afterHydration(driver);
      await waitUntil(async () => (await driver.attribute(FILE_MARK("pytorch_model.bin"), "data-level")) === "danger", "the file's mark");
      for (const link of ['[data-fake-file-links] a[download]', '.text-center a[href$="/resolve/main/pytorch_model.bin?download=true"]']) {
        await driver.click(link);
        expect(await guardLevel(driver), `${host} ${link}`).toBe("danger");
        await driver.click(CANCEL);
        await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");
      }
    }
    await driver.goto(TREE);
    await flush(driver);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("a link to a file the page never asked about: asked about once, then held, or let through", async ({ driver }) => {
    // config.json's page asks about config.json only; a link the page adds leads to other files (with
    // `download`, as rows have it: a same-tab navigation that turns into a download confuses puppeteer's next goto).
    await driver.goto(`${REPO}/blob/main/config.json`);
    await waitUntil(() => driver.count(FILE_MARK("config.json")), "the file page's mark");
    await driver.evaluate(
      `(() => { for (const path of ["pytorch_model.bin", "checkpoint.pt"]) { const link = document.createElement("a"); link.href = "/${GUARD_REPO_ID}/resolve/main/" + path; link.setAttribute("download", ""); link.textContent = path; link.id = "added-" + path.replace(".", "-"); document.querySelector("main").prepend(link); } })()`,
    );
    await driver.click("#added-pytorch_model-bin");
    await waitUntil(async () => (await driver.attribute(GUARD, "data-level")) === "danger", "the dialog to hold it as Danger once asked");
    await driver.click(CANCEL);
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");
    await driver.click("#added-checkpoint-pt");
    await waitUntil(() => Promise.resolve(downloadsOf(driver, "checkpoint.pt").length > 0), "checkpoint.pt's download once its mark is known");
    await waitUntil(async () => (await driver.count(GUARD)) === 0, "no dialog left");
    await driver.goto(TREE);
    await flush(driver);
    expect(downloadsOf(driver, "checkpoint.pt")).toHaveLength(1);
    expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
  });

  test("hostile file names and scanner messages are text in the dialog, and a javascript: report link is no link", async ({ driver }) => {
    await driver.goto(`${HUB}/hostile-strings/xss-probe/tree/main/weights`);
    // Clicked after hydration, which replaces the rows: a click on a row being replaced is lost.
    await afterHydration(driver);
    await waitUntil(() => driver.count('[data-hub-sentinel="file"][data-level="danger"]'), "the hostile file's mark");
    await driver.click('a[download][href*="/resolve/main/weights/"]');
    expect(await guardLevel(driver)).toBe("danger");
    expect(await driver.attribute(GUARD, "data-path")).toBe('weights/"><img src=x onerror=alert(1)>.bin');
    expect(await driver.text(DIALOG)).toContain('weights/"><img src=x onerror=alert(1)>.bin');
    expect(await driver.evaluate<number>(`document.querySelector('${GUARD}').shadowRoot.querySelectorAll('img, script, svg, [onerror], a[href^="javascript:"]').length`)).toBe(0);
    expect(await driver.evaluate<number>(`document.querySelectorAll('img[src="x"]').length`)).toBe(0);
    await driver.press("Escape");
  });

  test("switched off in the options page, a Danger file downloads at once; the setting is exported", async ({ driver }) => {
    await driver.openExtensionPage("options.html");
    await waitUntil(() => driver.count('[data-part="options-ready"]'), "the options page");
    await driver.click('[data-part="download-guard-off"]');
    await waitUntil(async () => ((await driver.extensionStorage()).local?.settings as { downloadGuard?: string } | undefined)?.downloadGuard === "off", "the setting to be saved");
    await driver.click('[data-hub-sentinel="settings-export"]');
    const exported = await waitUntil(() => driver.evaluate<string>(`document.querySelector('[data-part="export-text"]')?.value ?? ""`), "the exported JSON");
    expect(JSON.parse(exported)).toMatchObject({ version: 2, downloadGuard: "off" });

    await treeReady(driver);
    await driver.click(ROW_DOWNLOAD("pytorch_model.bin"));
    await waitUntil(() => Promise.resolve(downloadsOf(driver, "pytorch_model.bin").length === 1), "the download to reach the Hub at once");
    expect(await driver.count(GUARD)).toBe(0);
  });
});

test.describe("an organization's policy blocks Danger downloads", () => {
  const POLICY = { downloadGuard: "block" };

  test("no Download anyway for a Danger file, the dialog says the organization blocks it; an Unknown file can still be downloaded; users cannot switch it off", async ({ hub }, testInfo) => {
    const chromium = testInfo.project.name === "chromium";
    const file = chromium ? CHROMIUM_POLICY_FILE : FIREFOX_POLICY_FILE;
    const problem = policyFileProblem(file);
    test.skip(problem !== undefined, problem ?? "");
    // Chromium: a copy of the extension at a path of its own, so the worker's browser (same path,
    // same id) never sees this policy; Firefox reads policies.json only when it starts.
    const copy = chromium ? mkdtempSync(join(tmpdir(), "hub-sentinel-policy-ext-")) : undefined;
    if (copy) cpSync(CHROME_EXTENSION_DIR, copy, { recursive: true });
    const document = copy
      ? { "3rdparty": { extensions: { [chromiumUnpackedExtensionId(copy)]: POLICY } } }
      : { policies: { "3rdparty": { Extensions: { [FIREFOX_ADDON_ID]: POLICY } } } };
    try {
      await withPolicyFile(file, document, async () => {
        let driver: Driver;
        let close: () => Promise<void>;
        if (copy) {
          const browser = await launchWithExtension(hub, { extensionDir: copy });
          expect(browser.extensionId).toBe(chromiumUnpackedExtensionId(copy));
          driver = createPlaywrightDriver(browser, hub, await browser.context.newPage());
          close = () => browser.close();
        } else {
          const firefox = await launchFirefoxWithExtension(hub);
          driver = createPuppeteerFirefoxDriver(firefox, hub, await firefox.browser.newPage());
          close = () => firefox.close();
        }
        try {
          hub.resetLog();
          // The options page shows the organization's choice, and nothing looser can be picked.
          await driver.openExtensionPage("options.html");
          await waitUntil(() => driver.count('[data-part="managed-download-guard"]'), "the organization's policy on the options page");
          expect(await driver.evaluate<boolean>(`document.querySelector('[data-part="download-guard-off"]').disabled`)).toBe(true);
          expect(await driver.evaluate<boolean>(`document.querySelector('[data-part="download-guard-block"]').checked`)).toBe(true);

          await treeReady(driver);
          await driver.click(ROW_DOWNLOAD("pytorch_model.bin"));
          expect(await guardLevel(driver)).toBe("danger");
          expect(await driver.attribute(GUARD, "data-blocked")).toBe("");
          expect(await driver.count(PROCEED)).toBe(0);
          expect(await driver.attribute(DIALOG, "aria-label")).toBe("Hub Sentinel: Danger. Download of pytorch_model.bin blocked by your organization");
          expect(await driver.text(DIALOG)).toContain("Your organization does not allow downloading files marked Danger");
          await driver.press("Escape");
          await waitUntil(async () => (await driver.count(GUARD)) === 0, "the dialog to close");

          await driver.click(ROW_DOWNLOAD("model.onnx"));
          expect(await guardLevel(driver)).toBe("unknown");
          await driver.click(PROCEED);
          await waitUntil(() => Promise.resolve(downloadsOf(driver, "model.onnx").length === 1), "the Unknown file's download");
          await flush(driver);
          expect(downloadsOf(driver, "pytorch_model.bin")).toEqual([]);
        } finally {
          await close();
        }
      });
    } finally {
      if (copy) rmSync(copy, { recursive: true, force: true });
    }
  });
});
