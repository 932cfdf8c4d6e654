import { expect, test } from "./fixtures";
import { finalLevel, findingsOf, HUB, REPO_BADGE, tabsOf, waitUntil, type Driver } from "./driver";

/**
 * options.html through the contract's selectors, with a fake Hub page open in another tab: the
 * allowlist's effect must reach an open page without a reload (entrypoints/hub.content/repo-badge.tsx re-asks when
 * settings change), and import must change nothing unless the whole file is valid.
 */
const INPUT = '[data-hub-sentinel="allowlist-input"]';
const ADD = '[data-hub-sentinel="allowlist-add"]';
const ENTRY = '[data-hub-sentinel="allowlist-entry"]';
const entry = (value: string) => `${ENTRY}[data-value="${value}"]`;
const FAR_FUTURE = "2099-12-31";

async function openOptions(driver: Driver) {
  await driver.openExtensionPage("options.html");
  await waitUntil(() => driver.count('[data-part="options-ready"]'), "the options page to load its settings");
}

/**
 * Sets a date field. Typing into <input type="date"> depends on the browser's locale (Firefox in en-US
 * wants month first), so the value is set as a date picker would set it, with the input event.
 */
async function fillDate(driver: Driver, selector: string, value: string) {
  await driver.evaluate(`(() => {
    const input = document.querySelector(${JSON.stringify(selector)});
    input.value = ${JSON.stringify(value)};
    input.dispatchEvent(new Event("input", { bubbles: true }));
  })()`);
}

async function addEntry(driver: Driver, value: string, extra: { note?: string; expires?: string } = {}) {
  await driver.fill(INPUT, value);
  if (extra.note) await driver.fill('[data-part="allowlist-note"]', extra.note);
  if (extra.expires) await fillDate(driver, '[data-part="allowlist-expires"]', extra.expires);
  await driver.click(ADD);
  await waitUntil(() => driver.count(entry(value)), `the entry ${value} to be listed`);
}

/** The badge's level and allowlisted mark once they match, or a timeout naming what was seen. */
async function badgeBecomes(driver: Driver, level: string, allowlisted: boolean) {
  let seen = "";
  await waitUntil(
    async () => {
      const [now, mark] = [await driver.attribute(REPO_BADGE, "data-level"), await driver.attribute(REPO_BADGE, "data-allowlisted")];
      seen = `${now}, data-allowlisted=${mark}`;
      return now === level && (mark === "true") === allowlisted;
    },
    `the badge to become ${level}${allowlisted ? ", allowlisted" : ""}`,
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (last seen: ${seen})`);
  });
}

async function storedSettings(
  driver: Driver,
): Promise<{ allowlist?: { value: string; note?: string; expires?: string }[]; strictness?: string; listingAnnotations?: boolean } | undefined> {
  return (await driver.extensionStorage()).local?.settings as never;
}

async function inputValue(driver: Driver, selector: string): Promise<string> {
  return driver.evaluate<string>(`document.querySelector(${JSON.stringify(selector)})?.value ?? ""`);
}

/**
 * Chooses a file in the import input as the file picker would: a File in the input's FileList and a
 * change event. Only the native picker dialog is skipped; the page reads the file as it would any other.
 */
async function importFile(driver: Driver, name: string, contents: string) {
  await driver.evaluate(`(() => {
    const input = document.querySelector('[data-hub-sentinel="settings-import"]');
    const transfer = new DataTransfer();
    transfer.items.add(new File([${JSON.stringify(contents)}], ${JSON.stringify(name)}, { type: "application/json" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  })()`);
}

async function importProblems(driver: Driver): Promise<{ line: string | null; field: string | null; text: string }[]> {
  await waitUntil(() => driver.count('[data-part="import-problems"]'), "the import's problems");
  return driver.evaluate(`[...document.querySelectorAll('[data-part="import-problem"]')].map((li) => ({ line: li.getAttribute("data-line"), field: li.getAttribute("data-field"), text: li.textContent }))`);
}

test.describe("allowlist on options.html", () => {
  test("remote-arch/custom-model: warn, info allowlisted, back to warn when the entry expires, and once more with owner/*", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/remote-arch/custom-model`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await driver.attribute(REPO_BADGE, "data-allowlisted")).toBeNull();

    await tabs.newTab();
    await openOptions(driver);
    await addEntry(driver, "remote-arch/custom-model", { note: "Reviewed modeling_remote.py", expires: FAR_FUTURE });
    expect(await driver.text(entry("remote-arch/custom-model"))).toContain("Reviewed modeling_remote.py");
    expect((await storedSettings(driver))?.allowlist).toEqual([{ value: "remote-arch/custom-model", note: "Reviewed modeling_remote.py", expires: FAR_FUTURE }]);

    await tabs.switchToTab(0);
    await badgeBecomes(driver, "info", true);
    expect(await findingsOf(driver)).toContain("remote-code");

    await tabs.switchToTab(1);
    await driver.click(`${entry("remote-arch/custom-model")} [data-part="entry-expire"]`);
    await waitUntil(async () => (await driver.attribute(entry("remote-arch/custom-model"), "data-expired")) === "true", "the entry to show as expired");
    expect(await driver.text(entry("remote-arch/custom-model"))).toContain("no longer applies");
    await tabs.switchToTab(0);
    await badgeBecomes(driver, "warn", false);

    await tabs.switchToTab(1);
    await addEntry(driver, "remote-arch/*");
    await tabs.switchToTab(0);
    await badgeBecomes(driver, "info", true);

    await tabs.switchToTab(1);
    await driver.click(`${entry("remote-arch/*")} [data-part="entry-remove"]`);
    await waitUntil(async () => (await driver.count(entry("remote-arch/*"))) === 0, "the entry to be removed");
    expect((await storedSettings(driver))?.allowlist?.map((item) => item.value)).toEqual(["remote-arch/custom-model"]);
    await tabs.switchToTab(0);
    await badgeBecomes(driver, "warn", false);
  });

  test("fresh-uploader-7/pickle-rce stays danger when allowlisted: scanner and pickle-import danger is never hidden", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    expect(await finalLevel(driver)).toBe("danger");
    await tabs.newTab();
    await openOptions(driver);
    await addEntry(driver, "fresh-uploader-7");
    await tabs.switchToTab(0);
    await badgeBecomes(driver, "danger", true);
    const findings = await findingsOf(driver);
    expect(findings).toContain("pickle-imports");
    expect(findings).toContain("scanner-flag");
  });

  test("invalid entries are refused with a reason, and what was typed stays", async ({ driver }) => {
    await openOptions(driver);
    await driver.fill(INPUT, "owner/name/extra");
    await driver.click(ADD);
    await waitUntil(() => driver.count('[data-part="allowlist-error"]'), "the reason");
    expect(await driver.text('[data-part="allowlist-error"]')).toContain('more than one "/"');
    expect(await inputValue(driver, INPUT)).toBe("owner/name/extra");
    expect(await driver.count(ENTRY)).toBe(0);

    await driver.fill(INPUT, "own*er");
    await driver.click(ADD);
    await waitUntil(async () => (await driver.text('[data-part="allowlist-error"]'))?.includes("wildcard"), "the wildcard reason");

    await driver.fill(INPUT, "google-bert");
    await fillDate(driver, '[data-part="allowlist-expires"]', "2020-01-01");
    await driver.click(ADD);
    await waitUntil(async () => (await driver.text('[data-part="allowlist-error"]'))?.includes("already passed"), "the past-date reason");
    expect(await driver.count(ENTRY)).toBe(0);

    await fillDate(driver, '[data-part="allowlist-expires"]', "");
    await driver.click(ADD);
    await waitUntil(() => driver.count(entry("google-bert")), "the corrected entry");
    // owner/* and owner are the same entry, whatever the case.
    await driver.fill(INPUT, "Google-BERT/*");
    await driver.click(ADD);
    await waitUntil(async () => (await driver.text('[data-part="allowlist-error"]'))?.includes("already in the list"), "the duplicate reason");
    expect(await driver.count(ENTRY)).toBe(1);
    expect((await storedSettings(driver))?.allowlist).toEqual([{ value: "google-bert" }]);
  });

  test("a pasted huggingface.co address becomes owner/name", async ({ driver }) => {
    await openOptions(driver);
    await driver.fill(INPUT, `${HUB}/datasets/someone/pickled-features/tree/main`);
    await driver.click(ADD);
    await waitUntil(() => driver.count(entry("someone/pickled-features")), "the entry from the address");
  });

  test("the findings panel's Allowlist… button opens options.html with the repo filled in, and adds nothing", async ({ driver }) => {
    const tabs = tabsOf(driver);
    if (!driver.followNewTab) throw new Error(`The ${driver.browserName} driver cannot follow a tab the extension opens (followNewTab).`);
    await driver.goto(`${HUB}/remote-arch/custom-model`);
    expect(await finalLevel(driver)).toBe("warn");
    await driver.click(`${REPO_BADGE} >>> button.badge`);
    await driver.followNewTab(() => driver.click(`${REPO_BADGE} >>> [data-part="panel-allowlist"]`));
    await waitUntil(() => driver.count('[data-part="options-ready"]'), "the options page to load its settings");
    // From the document: puppeteer over BiDi keeps reporting the about:blank the new tab started at.
    expect(await driver.evaluate<string>("location.pathname")).toBe("/options.html");
    expect(await driver.evaluate<string>(`document.querySelector(${JSON.stringify(INPUT)}).value`)).toBe("remote-arch/custom-model");
    expect(await driver.count(ENTRY)).toBe(0);
    expect((await storedSettings(driver))?.allowlist ?? []).toEqual([]);
    // Only the person's confirmation on the options page adds it.
    await driver.click(ADD);
    await waitUntil(() => driver.count(entry("remote-arch/custom-model")), "the confirmed entry");
    await tabs.switchToTab(0);
    await badgeBecomes(driver, "info", true);
  });
});

test.describe("settings on options.html", () => {
  test('"Clear cached facts" says so once the background has cleared, and the next visit asks the Hub again', async ({ driver }) => {
    const REPO = "sentinel-verified/tiny-safetensors";
    const infoCalls = () => driver.hub.apiRequests().filter((request) => request.path.startsWith(`/api/models/${REPO}/revision/`)).length;
    await driver.goto(`${HUB}/${REPO}`);
    expect(await finalLevel(driver)).toBe("ok");
    const first = infoCalls();
    expect(first).toBeGreaterThan(0);
    await driver.goto(`${HUB}/${REPO}`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(infoCalls()).toBe(first);

    await openOptions(driver);
    await driver.click('[data-part="cache-clear"]');
    const status = await waitUntil(() => driver.text('[data-part="settings-status"]'), "the clear to be reported");
    expect(status).toContain("Cached facts cleared");
    // Reported only after the background confirmed this very clear.
    const stored = (await driver.extensionStorage()).local ?? {};
    expect(stored["cache:cleared"]).toBe(stored["cache:generation"]);

    await driver.goto(`${HUB}/${REPO}`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(infoCalls()).toBe(first + 1);
  });

  test("strictness and rule switches apply to an open page without a reload", async ({ driver }) => {
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/datasets/someone/pickled-features`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await findingsOf(driver)).toContain("unverified-author");
    await tabs.newTab();
    await openOptions(driver);
    // Strict: suspicious pickle imports are danger.
    await driver.click('[data-part="strictness-strict"]');
    await tabs.switchToTab(0);
    await badgeBecomes(driver, "danger", false);
    await tabs.switchToTab(1);
    await driver.click('[data-part="rule-switch"][data-rule="unverified-author"]');
    await tabs.switchToTab(0);
    await waitUntil(async () => !(await findingsOf(driver)).includes("unverified-author"), "unverified-author to be switched off");
    expect(await driver.attribute(REPO_BADGE, "data-level")).toBe("danger");
    expect((await storedSettings(driver)) as unknown).toMatchObject({ strictness: "strict", disabledRules: ["unverified-author"] });
  });

  test("listing-page badges can be switched off and on (applies when a listing page loads)", async ({ driver }) => {
    const CARD = '[data-hub-sentinel="card"]';
    await openOptions(driver);
    await driver.click('[data-part="listing-annotations"]');
    await waitUntil(async () => (await storedSettings(driver))?.listingAnnotations === false, "the setting to be saved");
    await driver.goto(`${HUB}/models`);
    // The page's own cards are there; give the content script time to have added marks if it were going to.
    expect(await driver.count("article")).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await driver.count(CARD)).toBe(0);
    expect(driver.hub.apiRequests().filter((entry) => entry.path.startsWith("/api/models/"))).toEqual([]);

    await openOptions(driver);
    await driver.click('[data-part="listing-annotations"]');
    await waitUntil(async () => (await storedSettings(driver))?.listingAnnotations === true, "the setting to be saved");
    await driver.goto(`${HUB}/models`);
    await waitUntil(() => driver.count(CARD), "card marks once switched back on");
  });

  test("an open listing page follows the switch and the allowlist without a reload", async ({ driver }) => {
    const CARD = '[data-hub-sentinel="card"]';
    const REMOTE = `${CARD}[data-repo="remote-arch/custom-model"]`;
    const tabs = tabsOf(driver);
    await driver.goto(`${HUB}/models`);
    await waitUntil(() => driver.count(CARD), "card marks");
    await waitUntil(async () => (await driver.attribute(REMOTE, "data-level")) === "warn", "the remote-code card's mark");

    await tabs.newTab();
    await openOptions(driver);
    await addEntry(driver, "remote-arch/*");
    await tabs.switchToTab(0);
    await waitUntil(async () => (await driver.attribute(REMOTE, "data-level")) === "info", "the card to follow the allowlist");

    await tabs.switchToTab(1);
    await driver.click('[data-part="listing-annotations"]');
    await waitUntil(async () => (await storedSettings(driver))?.listingAnnotations === false, "the setting to be saved");
    await tabs.switchToTab(0);
    await waitUntil(async () => (await driver.count(CARD)) === 0, "the marks to go");
  });
});

test.describe("settings import and export", () => {
  const VALID = `{
  "version": 1,
  "allowlist": [
    { "value": "remote-arch", "note": "Our vendor" },
    { "value": "google-bert/bert-base-uncased", "expires": "${FAR_FUTURE}" }
  ],
  "strictness": "strict",
  "disabledRules": ["young-account"]
}
`;

  test("a valid file is imported, added to the existing entries, and reported", async ({ driver }) => {
    await openOptions(driver);
    await addEntry(driver, "sentinel-verified");
    await importFile(driver, "team-settings.json", VALID);
    await waitUntil(() => driver.count('[data-part="import-result"]'), "the import's result");
    expect(await driver.text('[data-part="import-result"]')).toContain("2 added");
    for (const value of ["sentinel-verified", "remote-arch", "google-bert/bert-base-uncased"]) expect(await driver.count(entry(value))).toBe(1);
    const stored = await storedSettings(driver);
    expect(stored?.allowlist?.map((item) => item.value)).toEqual(["sentinel-verified", "remote-arch", "google-bert/bert-base-uncased"]);
    expect(stored?.strictness).toBe("strict");
    expect(await driver.evaluate<boolean>(`document.querySelector('[data-part="rule-switch"][data-rule="young-account"]').checked`)).toBe(false);

    // Export gives back what was imported (and the entry that was there before).
    await driver.click('[data-hub-sentinel="settings-export"]');
    await waitUntil(() => driver.count('[data-part="export-text"]'), "the exported JSON");
    const exported = JSON.parse(await inputValue(driver, '[data-part="export-text"]')) as { version: number; allowlist: unknown[]; strictness: string };
    expect(exported.version).toBe(2);
    expect(exported.allowlist).toHaveLength(3);
    expect(exported.strictness).toBe("strict");
  });

  test("a file that is not JSON is refused with its line, and nothing changes", async ({ driver }) => {
    await openOptions(driver);
    await addEntry(driver, "sentinel-verified");
    const before = await storedSettings(driver);
    await importFile(driver, "broken.json", `{\n  "allowlist": [\n    { "value": "google" }\n    { "value": "meta-llama" }\n  ]\n}\n`);
    const problems = await importProblems(driver);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe("4");
    expect(problems[0]?.text).toContain("Line 4");
    expect(await storedSettings(driver)).toEqual(before);
    expect(await driver.count(ENTRY)).toBe(1);
  });

  test("a partly valid file changes nothing and names each problem by line and field", async ({ driver }) => {
    await openOptions(driver);
    await addEntry(driver, "sentinel-verified");
    const before = await storedSettings(driver);
    const file = [
      "{", // 1
      '  "version": 1,', // 2
      '  "allowlist": [', // 3
      '    { "value": "google" },', // 4
      '    { "value": "meta-llama/*", "expires": "2026-13-01" },', // 5
      '    { "value": "bad name" },', // 6
      '    { "value": "GOOGLE/*" }', // 7
      "  ],", // 8
      '  "strictness": "paranoid"', // 9
      "}", // 10
    ].join("\n");
    await importFile(driver, "partly.json", file);
    const problems = await importProblems(driver);
    expect(problems.map((problem) => [problem.line, problem.field])).toEqual([
      ["5", "allowlist[1].expires"],
      ["6", "allowlist[2].value"],
      ["7", "allowlist[3].value"],
      ["9", "strictness"],
    ]);
    expect(await driver.text('[data-part="import-problems"]')).toContain("Nothing was imported");
    expect(await storedSettings(driver)).toEqual(before);
    expect(await driver.count(ENTRY)).toBe(1);
    expect(await driver.count(entry("google"))).toBe(0);
  });

  test("pasted settings import the same way", async ({ driver }) => {
    await openOptions(driver);
    await driver.fill('[data-part="import-text"]', '{"allowlist": ["remote-arch", "legacy-lab/*"]}');
    await driver.click('[data-part="import-paste"]');
    await waitUntil(() => driver.count('[data-part="import-result"]'), "the import's result");
    expect(await driver.count(entry("remote-arch"))).toBe(1);
    expect(await driver.count(entry("legacy-lab/*"))).toBe(1);
  });
});
