import { expect, test } from "./fixtures";
import { afterHydration, finalLevel, findingsOf, HUB, REPO_BADGE, waitUntil, type Driver } from "./driver";

const BADGE_BUTTON = `${REPO_BADGE} >>> button.badge`;
const PANEL = `${REPO_BADGE} >>> [role="dialog"]`;

async function badgeCount(driver: Driver) {
  return driver.count(REPO_BADGE);
}

test.describe("one badge on every repo page", () => {
  const pages: [string, string, string, string][] = [
    ["model card", "/google-bert/bert-base-uncased", "model", "info"],
    ["files tab", "/google-bert/bert-base-uncased/tree/main", "model", "info"],
    ["file view", "/google-bert/bert-base-uncased/blob/main/config.json", "model", "info"],
    ["commits", "/google-bert/bert-base-uncased/commits/main", "model", "info"],
    ["community", "/legacy-lab/old-bin-model/discussions", "model", "warn"],
    ["a pull request", "/legacy-lab/old-bin-model/discussions/3", "model", "warn"],
    ["dataset card", "/datasets/sentinel-verified/parquet-corpus", "dataset", "ok"],
    ["Space app", "/spaces/space-builder/docker-oauth", "space", "warn"],
    ["Space files", "/spaces/space-builder/docker-oauth/tree/main", "space", "warn"],
  ];
  for (const [name, path, type, level] of pages) {
    test(`${name}: ${path}`, async ({ driver }) => {
      await driver.goto(`${HUB}${path}`);
      expect(await finalLevel(driver)).toBe(level);
      expect(await driver.attribute(REPO_BADGE, "data-repo-type")).toBe(type);
      await afterHydration(driver);
      expect(await badgeCount(driver)).toBe(1);
    });
  }

  test("each level, with its word and its findings", async ({ driver }) => {
    const cases: [string, string, string[]][] = [
      ["/sentinel-verified/tiny-safetensors", "ok", []],
      ["/google-bert/bert-base-uncased", "info", ["pickle-weights"]],
      ["/remote-arch/custom-model", "warn", ["remote-code"]],
      ["/fresh-uploader-7/pickle-rce", "danger", ["pickle-imports", "scanner-flag"]],
      ["/nobody/missing-model", "unknown", ["fetch-failed"]],
    ];
    for (const [path, level, ids] of cases) {
      await driver.goto(`${HUB}${path}`);
      expect(await finalLevel(driver), path).toBe(level);
      const findings = await findingsOf(driver);
      for (const id of ids) expect(findings, path).toContain(id);
      if (level === "ok") expect(findings).toEqual([]);
      // Screen readers hear the level: the button's accessible name starts with it.
      await afterHydration(driver);
      const label = await waitUntil(() => driver.attribute(BADGE_BUTTON, "aria-label"), "the badge's accessible name");
      expect(label, path).toMatch(new RegExp(`^Hub Sentinel: ${{ ok: "OK", info: "Info", warn: "Warning", danger: "Danger", unknown: "Unknown" }[level]}`));
      // Not colour alone: the level is written out.
      expect(await driver.text(`${REPO_BADGE} >>> .word`), path).toBe({ ok: "OK", info: "Info", warn: "Warning", danger: "Danger", unknown: "Unknown" }[level]);
    }
  });

  test("hf.co pages get the badge too", async ({ driver }) => {
    await driver.goto("https://hf.co/remote-arch/custom-model");
    expect(await finalLevel(driver)).toBe("warn");
    expect(await driver.attribute(REPO_BADGE, "data-repo")).toBe("remote-arch/custom-model");
  });

  test("a legacy one-segment id is judged after its redirect", async ({ driver }) => {
    await driver.goto(`${HUB}/bert-base-uncased`);
    expect(await driver.url()).toBe(`${HUB}/google-bert/bert-base-uncased`);
    expect(await finalLevel(driver)).toBe("info");
    expect(await driver.attribute(REPO_BADGE, "data-repo")).toBe("google-bert/bert-base-uncased");
  });

  test("a revision in the URL gives that revision's verdict and says so", async ({ driver }) => {
    await driver.goto(`${HUB}/legacy-lab/old-bin-model/tree/refs%2Fpr%2F3`);
    await finalLevel(driver);
    await afterHydration(driver);
    expect(await driver.attribute(REPO_BADGE, "data-revision")).toBe("refs/pr/3");
    const apiPaths = driver.hub.apiRequests().map((entry) => entry.path);
    expect(apiPaths.some((path) => path.includes("/revision/refs%2Fpr%2F3"))).toBe(true);
    await driver.click(BADGE_BUTTON);
    expect(await driver.text(PANEL)).toContain("Verdict for PR #3, not the main branch.");
  });

  for (const path of ["/docs", "/settings/tokens", "/pricing", "/"]) {
    test(`no badge on ${path}, which is not a repo`, async ({ driver }) => {
      await driver.goto(`${HUB}${path}`);
      await afterHydration(driver);
      expect(await badgeCount(driver)).toBe(0);
      expect(driver.hub.apiRequests()).toEqual([]);
    });
  }
});

test.describe("the badge lives with the page", () => {
  test("hydration replacing the header island leaves exactly one badge, next to the repo name", async ({ driver }) => {
    await driver.goto(`${HUB}/remote-arch/custom-model?hydrateDelay=1200`);
    expect(await finalLevel(driver)).toBe("warn");
    await afterHydration(driver);
    await waitUntil(async () => (await badgeCount(driver)) === 1 && (await driver.evaluate<boolean>(`!!document.querySelector('[data-target="ModelHeader"] h1 [data-hub-sentinel="repo"]')`)), "the badge back in the header");
    // Hydrate again: still one, still the same verdict, no new API request.
    const before = driver.hub.apiRequests().length;
    await driver.evaluate(`window.__fakeHydrate()`);
    await waitUntil(async () => (await badgeCount(driver)) === 1 && (await driver.evaluate<boolean>(`!!document.querySelector('[data-target="ModelHeader"] h1 [data-hub-sentinel="repo"]')`)), "the badge re-anchored");
    expect(await driver.attribute(REPO_BADGE, "data-level")).toBe("warn");
    expect(driver.hub.apiRequests().length).toBe(before);
  });

  test("a URL change without reload re-checks the new repo", async ({ driver }) => {
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    await driver.evaluate(`window.__fakeNavigate("/fresh-uploader-7/pickle-rce")`);
    await waitUntil(async () => (await driver.attribute(REPO_BADGE, "data-repo")) === "fresh-uploader-7/pickle-rce", "the badge to follow the URL");
    expect(await finalLevel(driver)).toBe("danger");
    expect(await badgeCount(driver)).toBe(1);
  });

  test("leaving for a page that is not a repo removes the badge", async ({ driver }) => {
    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    await finalLevel(driver);
    await driver.evaluate(`window.__fakeNavigate("/docs")`);
    await waitUntil(async () => (await badgeCount(driver)) === 0, "the badge to go");
  });

  test("an unknown header layout gets a fixed corner badge instead of nothing", async ({ driver }) => {
    await driver.goto(`${HUB}/remote-arch/custom-model?fakeLayout=unknown-header`);
    expect(await finalLevel(driver)).toBe("warn");
    expect(await driver.attribute(REPO_BADGE, "data-fixed")).toBe("true");
    expect(await badgeCount(driver)).toBe(1);
  });

  test("dark mode: the badge follows the page's theme", async ({ driver }) => {
    await driver.setColorScheme("dark");
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    await finalLevel(driver);
    expect(await driver.evaluate<boolean>(`document.documentElement.classList.contains("dark")`)).toBe(true);
    expect(await driver.attribute(REPO_BADGE, "data-theme")).toBe("dark");
    await driver.evaluate(`document.documentElement.classList.remove("dark")`);
    await waitUntil(async () => (await driver.attribute(REPO_BADGE, "data-theme")) === "light", "the light theme");
    await driver.setColorScheme("light");
  });
});

test.describe("the findings panel", () => {
  test("keyboard: Enter opens it with focus inside, Escape closes it and gives focus back", async ({ driver }) => {
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    expect(await finalLevel(driver)).toBe("danger");
    // Hydration moves the badge (and so drops focus) once, right after load; interact after it.
    await afterHydration(driver);
    await driver.focus(BADGE_BUTTON);
    await driver.press("Enter");
    await waitUntil(async () => (await driver.count(PANEL)) === 1, "the panel");
    expect(await driver.attribute(BADGE_BUTTON, "aria-expanded")).toBe("true");
    expect(await driver.evaluate<string>(`document.querySelector('[data-hub-sentinel="repo"]').shadowRoot.activeElement?.getAttribute("role") ?? ""`)).toBe("dialog");
    // Grouped by level, most severe first, each finding with its explanation, evidence and advice.
    const sections = await driver.evaluate<string[]>(`Array.from(document.querySelector('[data-hub-sentinel="repo"]').shadowRoot.querySelectorAll('[role="dialog"] section')).map((s) => s.getAttribute("aria-label"))`);
    expect(sections[0]).toBe("Danger");
    expect(sections).toEqual([...sections].sort((a, b) => ["Danger", "Warning", "Unknown", "Info", "OK"].indexOf(a) - ["Danger", "Warning", "Unknown", "Info", "OK"].indexOf(b)));
    const evidence = await driver.attribute(`${REPO_BADGE} >>> [data-finding="pickle-imports"] a`, "href");
    expect(evidence).toBe("https://huggingface.co/fresh-uploader-7/pickle-rce/blob/main/pytorch_model.bin");
    await driver.press("Escape");
    await waitUntil(async () => (await driver.count(PANEL)) === 0, "the panel to close");
    expect(await driver.evaluate<string>(`document.querySelector('[data-hub-sentinel="repo"]').shadowRoot.activeElement?.className ?? ""`)).toContain("badge");
  });

  test("Space opens it too; a click outside closes it", async ({ driver }) => {
    await driver.goto(`${HUB}/spaces/space-builder/docker-oauth`);
    await finalLevel(driver);
    await afterHydration(driver);
    await driver.focus(BADGE_BUTTON);
    await driver.press(" ");
    await waitUntil(async () => (await driver.count(PANEL)) === 1, "the panel");
    expect(await driver.text(PANEL)).toContain("write-repos");
    await driver.clickAt(1200, 700);
    await waitUntil(async () => (await driver.count(PANEL)) === 0, "the panel to close");
  });

  test("a click on the badge opens it; the close button closes it", async ({ driver }) => {
    await driver.goto(`${HUB}/legacy-lab/hijacked-pr`);
    expect(await finalLevel(driver)).toBe("danger");
    await afterHydration(driver);
    await driver.click(BADGE_BUTTON);
    expect(await driver.text(`${REPO_BADGE} >>> [data-finding="conversion-pr"]`)).toContain("#7");
    await driver.click(`${REPO_BADGE} >>> button.close`);
    await waitUntil(async () => (await driver.count(PANEL)) === 0, "the panel to close");
  });
});
