import { expect, test } from "./fixtures";
import { finalLevel, findingsOf, HUB, REPO_BADGE, tabsOf, waitUntil, type Driver } from "./driver";

/**
 * The Hub's rate limit, end to end (issues 17 part 2 and 20): the built extension against the
 * fake Hub, which answers 429 with Retry-After for a fault, or enforces a per-IP window with
 * `RateLimit` / `RateLimit-Policy` headers (tests/fake-hub/rate-meter.ts). Blocks are kept short,
 * and each test waits its own block out: later tests share this browser and its background.
 */
const BADGE_BUTTON = `${REPO_BADGE} >>> button.badge`;
const NOTE = '[data-hub-sentinel="rate-limit-note"]';
const CARD = (id: string) => `[data-hub-sentinel="card"][data-repo="${id}"]`;
const CLEAN = "sentinel-verified/tiny-safetensors";
const OTHER = "google-bert/bert-base-uncased";

const infoCalls = (driver: Driver, repo: string) => driver.hub.apiRequests().filter((entry) => entry.path.startsWith(`/api/models/${repo}/revision/`));

test.describe("rate limits", () => {
  test("Retry-After: 1 is waited out with the badge pending and saying why, then retried once to a final level", async ({ driver }) => {
    driver.hub.setFault(CLEAN, "info", { kind: "rate-limit", retryAfter: 1, times: 1 });
    await driver.goto(`${HUB}/${CLEAN}`);
    const label = await waitUntil(async () => {
      const text = await driver.attribute(BADGE_BUTTON, "aria-label");
      return text?.includes("waiting for the Hub's rate limit") ? text : undefined;
    }, "the pending badge's rate-limit wait");
    expect(label).toContain("checking");
    expect(await driver.attribute(REPO_BADGE, "data-level")).toBe("pending");

    expect(await finalLevel(driver)).toBe("ok");
    const calls = infoCalls(driver, CLEAN);
    expect(calls.map((entry) => entry.status)).toEqual([429, 200]);
    // The retry went out after the Hub's time, not before.
    const [refused, retried] = calls;
    expect((retried?.time ?? 0) - (refused?.time ?? 0)).toBeGreaterThanOrEqual(900);
    expect(await driver.attribute(BADGE_BUTTON, "aria-label")).not.toContain("waiting");
  });

  test("a long block: unknown with the time, no request during it in any tab, and both tabs recover by themselves", async ({ driver }) => {
    test.setTimeout(90_000);
    // Long enough that the second tab still finds more than the 10 s the transport waits out, even on a
    // fresh profile whose first page waits for the organization's policy.
    const seconds = 24;
    driver.hub.setFault(CLEAN, "info", { kind: "rate-limit", retryAfter: seconds, times: 1 });
    await driver.goto(`${HUB}/${CLEAN}`);
    expect(await finalLevel(driver)).toBe("unknown");
    expect(await findingsOf(driver)).toContain("fetch-failed");
    await driver.click(BADGE_BUTTON);
    const text = await waitUntil(() => driver.text(`${REPO_BADGE} >>> [data-finding="fetch-failed"]`), "the fetch-failed finding");
    expect(text).toMatch(/rate-limit/i);
    expect(text).toMatch(new RegExp(`\\b${seconds} s\\b`));
    const blockedAt = infoCalls(driver, CLEAN)[0]?.time ?? Date.now();
    const apiAtBlock = driver.hub.apiRequests().length;

    // A second tab during the block shares it: unknown at once, and nothing is sent.
    const tabs = tabsOf(driver);
    const firstTab = await tabs.tabId();
    await tabs.newTab();
    await driver.goto(`${HUB}/${OTHER}`);
    expect(await finalLevel(driver)).toBe("unknown");
    expect(driver.hub.apiRequests().length).toBe(apiAtBlock);

    // The popup says so.
    await tabs.newTab();
    await driver.openExtensionPage(`popup.html?tab=${firstTab}`);
    expect(await waitUntil(() => driver.attribute(NOTE, "data-state"), "the popup's rate-limit line")).toBe("blocked");

    // When the block lifts, the open tabs check again without a reload.
    await tabs.switchToTab(1);
    await waitUntil(async () => (await driver.attribute(REPO_BADGE, "data-level")) === "info", `${OTHER} judged after the block`, 30_000);
    await tabs.switchToTab(0);
    await waitUntil(async () => (await driver.attribute(REPO_BADGE, "data-level")) === "ok", `${CLEAN} judged after the block`, 30_000);
    const after = driver.hub.apiRequests().slice(apiAtBlock);
    expect(after.length).toBeGreaterThan(0);
    for (const entry of after) expect(entry.time - blockedAt, `${entry.path} went out during the block`).toBeGreaterThanOrEqual(seconds * 1000 - 200);
    // One retry per block: the refused repo's info was asked for once more, not once per tab or feature.
    expect(infoCalls(driver, CLEAN).map((entry) => entry.status)).toEqual([429, 200]);
  });

  test("a low meter: cards and row details pause, the badge is still judged, the popup says so; at the reset cards are marked by themselves", async ({ driver }) => {
    test.setTimeout(60_000);
    // 430 of 500 used: 70 left, under a fifth of the window. The window resets 15 s after its first call.
    driver.hub.setRateLimit({ limit: 500, windowMs: 15_000, used: 430 });
    await driver.goto(`${HUB}/${CLEAN}`);
    expect(await finalLevel(driver)).toBe("ok");
    const tabs = tabsOf(driver);
    const repoTab = await tabs.tabId();

    const apiBefore = driver.hub.apiRequests().length;
    await driver.goto(`${HUB}/models`);
    await waitUntil(() => driver.count(CARD("fresh-uploader-7/pickle-rce")), "a mark on the first card");
    const paused = await waitUntil(async () => {
      const levels = await driver.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-hub-sentinel="card"]')).map((card) => card.getAttribute("data-level"))`);
      return levels.length > 0 && levels.every((level) => level === "unknown") ? levels : undefined;
    }, "paused cards");
    expect(paused.length).toBeGreaterThan(0);
    // Paused: no card cost a call.
    expect(driver.hub.apiRequests().length).toBe(apiBefore);

    await tabs.newTab();
    await driver.openExtensionPage(`popup.html?tab=${repoTab}`);
    expect(await waitUntil(() => driver.attribute(NOTE, "data-state"), "the popup's rate-limit line")).toBe("saving");
    expect(await driver.text(NOTE)).toMatch(/paused/);

    // The window resets: the cards on screen are judged without a reload.
    await tabs.switchToTab(0);
    await waitUntil(async () => (await driver.attribute(CARD("fresh-uploader-7/pickle-rce"), "data-level")) === "danger", "the dangerous card judged after the reset", 30_000);
    expect(await driver.attribute(CARD(CLEAN), "data-level")).toBe("ok");
    expect(driver.hub.rateWindows().length).toBeGreaterThanOrEqual(2);
    expect(driver.hub.rateWindows().every((window) => window.refused === 0)).toBe(true);
  });

  test("a low meter on a Files tab: the rows keep their marks from the badge's facts, who changed a file waits for the reset", async ({ driver }) => {
    test.setTimeout(60_000);
    const repo = "fresh-uploader-7/pickle-rce";
    const ROW = '[data-hub-sentinel="file"][data-path="pytorch_model.bin"]';
    driver.hub.setRateLimit({ limit: 500, windowMs: 10_000, used: 450 });
    await driver.goto(`${HUB}/${repo}/tree/main`);
    expect(await finalLevel(driver)).toBe("danger");
    await waitUntil(async () => (await driver.attribute(ROW, "data-level")) === "danger", "the weight file's row mark");
    /** The row's details (its panel opens on a click). */
    const details = async () => {
      if ((await driver.count(`${ROW} >>> .details`)) === 0) await driver.click(`${ROW} >>> button.mark`);
      return driver.text(`${ROW} >>> .details`);
    };
    const paused = await waitUntil(async () => {
      const text = await details();
      return text?.includes("not asked") ? text : undefined;
    }, "the paused row detail");
    expect(paused).toMatch(/rate limit/);
    expect(driver.hub.apiRequests().filter((entry) => entry.path.includes("/commits/"))).toHaveLength(0);

    // After the reset the row is asked about again, and says who made the change.
    await waitUntil(async () => (await details())?.includes("by ") && !(await details())?.includes("not asked"), "the row's details after the reset", 30_000);
    expect(driver.hub.apiRequests().filter((entry) => entry.path.includes("/commits/"))).toHaveLength(1);
    expect(await driver.attribute(ROW, "data-level")).toBe("danger");
    expect(await driver.count('[data-hub-sentinel="file"][data-path="pytorch_model.bin"]')).toBe(1);
  });
});
