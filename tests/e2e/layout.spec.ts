import { expect, test } from "./fixtures";
import { afterHydration, finalLevel, HUB, REPO_BADGE, tabsOf, waitUntil, type Driver } from "./driver";

/**
 * When huggingface.co changes its markup (issue 17): the fake Hub's layout variants
 * (`?fakeLayout=`, tests/fake-hub/pages.ts) rename every island and reshuffle the rows'
 * markup (`reshuffled`), or also drop every heading that links to the repo (`no-heading`).
 * The repo badge is never missing (beside the heading, or in a fixed chip at the top), and a page
 * whose rows or cards cannot be recognised says so in the findings panel and the popup.
 */
const PANEL = `${REPO_BADGE} >>> [role="dialog"]`;
const BADGE_BUTTON = `${REPO_BADGE} >>> button.badge`;
const POPUP_NOTE = '[data-hub-sentinel="layout-note"]';

const REPO_PAGES: [string, string, string][] = [
  ["model card", "/legacy-lab/old-bin-model", "model"],
  ["files", "/legacy-lab/old-bin-model/tree/main", "model"],
  ["file view", "/google-bert/bert-base-uncased/blob/main/config.json", "model"],
  ["commits", "/google-bert/bert-base-uncased/commits/main", "model"],
  ["community", "/legacy-lab/old-bin-model/discussions", "model"],
  ["a pull request", "/legacy-lab/old-bin-model/discussions/3", "model"],
  ["dataset card", "/datasets/sentinel-verified/parquet-corpus", "dataset"],
  ["dataset files", "/datasets/sentinel-verified/parquet-corpus/tree/main", "dataset"],
  ["Space app", "/spaces/space-builder/docker-oauth", "space"],
  ["Space files", "/spaces/space-builder/docker-oauth/tree/main", "space"],
];

function withLayout(path: string, layout: string): string {
  return `${HUB}${path}${path.includes("?") ? "&" : "?"}fakeLayout=${layout}`;
}

async function hydrated(driver: Driver) {
  await afterHydration(driver);
}

/** The layout note is reported once the page has settled (half a second after its rows were looked at). */
async function layoutParts(driver: Driver): Promise<string[]> {
  return ((await driver.attribute(REPO_BADGE, "data-layout-unrecognised")) ?? "").split(" ").filter(Boolean);
}

/** The popup for the current tab, opened in a new tab; reopened until `ready` holds (the report comes after the page settles). */
async function popupFor(driver: Driver, ready: () => Promise<boolean>, what: string) {
  const tabs = tabsOf(driver);
  const tabId = await tabs.tabId();
  await tabs.newTab();
  await waitUntil(async () => {
    await driver.openExtensionPage(`popup.html?tab=${tabId}`);
    await waitUntil(async () => (await driver.count('[data-hub-sentinel="tab-summary"], [data-hub-sentinel="tab-none"]')) > 0, "the popup's tab section", 5_000);
    return ready();
  }, what);
}

test.describe("the repo badge when the page's layout changed", () => {
  for (const [name, path, type] of REPO_PAGES) {
    test(`renamed islands, reshuffled markup: beside the heading (${name})`, async ({ driver }) => {
      await driver.goto(withLayout(path, "reshuffled"));
      await finalLevel(driver);
      await hydrated(driver);
      expect(await driver.count(REPO_BADGE)).toBe(1);
      expect(await driver.attribute(REPO_BADGE, "data-repo-type")).toBe(type);
      expect(await driver.attribute(REPO_BADGE, "data-fixed")).toBeNull();
      // Right after the repo-name link of the page's heading.
      expect(await driver.evaluate<string>(`document.querySelector('${REPO_BADGE}').previousElementSibling?.getAttribute("href") ?? ""`)).toBe(path.split("/").slice(0, path.startsWith("/datasets") || path.startsWith("/spaces") ? 4 : 3).join("/"));
    });

    test(`no heading at all: a fixed chip at the top of the page (${name})`, async ({ driver }) => {
      await driver.goto(withLayout(path, "no-heading"));
      const level = await finalLevel(driver);
      await hydrated(driver);
      expect(await driver.count(REPO_BADGE)).toBe(1);
      expect(await driver.attribute(REPO_BADGE, "data-fixed")).toBe("true");
      expect(await driver.attribute(REPO_BADGE, "data-repo-type")).toBe(type);
      expect(await driver.attribute(REPO_BADGE, "data-repo")).toBe(path.replace(/^\/(datasets|spaces)/, "").split("/").slice(1, 3).join("/"));
      expect(await driver.attribute(REPO_BADGE, "data-findings")).not.toBeNull();
      // The same verdict as on the page's usual layout.
      await driver.goto(`${HUB}${path}`);
      expect(await finalLevel(driver)).toBe(level);
    });
  }

  test("the chip is at the top of the viewport, first in the tab order, and opens the panel from the keyboard", async ({ driver }) => {
    await driver.goto(withLayout("/fresh-uploader-7/pickle-rce", "no-heading"));
    expect(await finalLevel(driver)).toBe("danger");
    await hydrated(driver);
    const box = await driver.evaluate<{ top: number; position: string }>(
      `(() => { const host = document.querySelector('${REPO_BADGE}'); return { top: host.getBoundingClientRect().top, position: getComputedStyle(host).position }; })()`,
    );
    expect(box.position).toBe("fixed");
    expect(box.top).toBeLessThan(40);
    expect(await driver.evaluate<boolean>(`document.body.firstElementChild === document.querySelector('${REPO_BADGE}')`)).toBe(true);
    // From the top of the page, the first Tab reaches it.
    await driver.evaluate(`(document.activeElement instanceof HTMLElement) && document.activeElement.blur()`);
    await driver.press("Tab");
    await waitUntil(() => driver.evaluate<boolean>(`document.activeElement === document.querySelector('${REPO_BADGE}')`), "focus on the chip");
    await driver.press("Enter");
    await waitUntil(async () => (await driver.count(PANEL)) === 1, "the findings panel");
    expect(await driver.attribute(BADGE_BUTTON, "aria-label")).toMatch(/^Hub Sentinel: Danger/);
  });
});

test.describe("a page whose rows or cards are not recognised says so", () => {
  const cases: [string, string, string, string][] = [
    ["Files", withLayout("/legacy-lab/old-bin-model/tree/main", "reshuffled"), "file-rows", "file rows could not be marked"],
    ["Community", withLayout("/legacy-lab/old-bin-model/discussions", "reshuffled"), "pull-requests", "pull requests could not be marked"],
    ["a pull request", withLayout("/legacy-lab/old-bin-model/discussions/3", "no-heading"), "pull-requests", "pull requests could not be marked"],
  ];
  for (const [name, url, part, words] of cases) {
    test(`${name}: in the findings panel and the popup`, async ({ driver }) => {
      await driver.goto(url);
      await finalLevel(driver);
      await waitUntil(async () => (await layoutParts(driver)).includes(part), "the layout note on the badge");
      await hydrated(driver);
      await driver.click(BADGE_BUTTON);
      await waitUntil(async () => (await driver.count(PANEL)) === 1, "the findings panel");
      const note = await driver.text(`${PANEL} [data-layout-part="${part}"]`);
      expect(note).toContain("This page's layout was not recognised");
      expect(note).toContain(words);
      await popupFor(driver, async () => (await driver.count(`${POPUP_NOTE}[data-layout-part="${part}"]`)) === 1, "the popup's layout note");
      expect(await driver.text(`${POPUP_NOTE}[data-layout-part="${part}"]`)).toContain(words);
      // The tab's verdict is still there beside it.
      expect(await driver.count('[data-hub-sentinel="tab-summary"]')).toBe(1);
    });
  }

  test("a listing page: in the popup", async ({ driver }) => {
    await driver.goto(withLayout("/models", "reshuffled"));
    await popupFor(driver, async () => (await driver.count(`${POPUP_NOTE}[data-layout-part="cards"]`)) === 1, "the popup's layout note");
    expect(await driver.text(`${POPUP_NOTE}[data-layout-part="cards"]`)).toContain("cards could not be marked");
  });

  test("the usual layout, or a reshuffled page with nothing to mark, has no such note", async ({ driver }) => {
    const quiet = [
      `${HUB}/legacy-lab/old-bin-model/tree/main`,
      `${HUB}/legacy-lab/old-bin-model/discussions`,
      `${HUB}/legacy-lab/old-bin-model/discussions/3`,
      // No discussions at all: an empty list is not a layout failure.
      withLayout("/sentinel-verified/tiny-safetensors/discussions", "reshuffled"),
    ];
    for (const url of quiet) {
      await driver.goto(url);
      await finalLevel(driver);
      await hydrated(driver);
      // Past the half second after which a note would have been reported.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await layoutParts(driver), url).toEqual([]);
    }
    // The listing, and the popup for the last page.
    await driver.goto(`${HUB}/models`);
    await waitUntil(() => driver.count('[data-hub-sentinel="card"]'), "card marks");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await popupFor(driver, async () => true, "the popup");
    expect(await driver.count(POPUP_NOTE)).toBe(0);
  });
});
