import { expect, test } from "./fixtures";
import { finalLevel, HUB, REPO_BADGE, settledApiRequests, waitUntil, type Driver } from "./driver";
import type { LoggedRequest } from "../fake-hub/server";

/**
 * Start at navigation (issue 19): the background learns the tab's URL from tabs.onUpdated and
 * gathers the repo's facts while the page is still loading, so the content script, which runs
 * after the load event, finds them ready. Measured on the fake Hub's request log: when each
 * request arrived, when the page's HTML was fully sent, and which requests the browser gave up on.
 */

const SLOW_PAGE_MS = 1_500;

function pageRequest(driver: Driver, path: string): LoggedRequest | undefined {
  return driver.hub.log.find((entry) => !entry.path.startsWith("/api/") && entry.path.split("?")[0] === path);
}

test.describe("the verdict is gathered from navigation", () => {
  test.afterEach(({ driver }) => driver.hub.setLatency(undefined));

  test("requests start while the page is still loading, and none is sent twice", async ({ driver }) => {
    // The page's body arrives 1.5 s after its head: the content script cannot ask before then.
    driver.hub.setLatency({ pageMs: SLOW_PAGE_MS, apiMs: 50 });
    const path = "/google-bert/bert-base-uncased";
    await driver.goto(`${HUB}${path}`);
    expect(await finalLevel(driver)).toBe("info");
    const page = pageRequest(driver, path);
    expect(page?.endTime, "the page request is in the log").toBeDefined();
    const requests = await settledApiRequests(driver);

    const first = Math.min(...requests.map((entry) => entry.time));
    // Before the page's last byte was sent, so before its load event, so before our content script ran.
    expect(first).toBeLessThan(page?.endTime ?? 0);
    const paths = requests.map((entry) => `${entry.method} ${entry.path}`);
    expect(new Set(paths).size, paths.join("\n")).toBe(paths.length);
    expect(requests.length).toBeLessThanOrEqual(6);
    expect(requests.every((entry) => !entry.cancelled)).toBe(true);
  });

  test("the same page again costs no request at all", async ({ driver }) => {
    await driver.goto(`${HUB}/datasets/sentinel-verified/parquet-corpus`);
    expect(await finalLevel(driver)).toBe("ok");
    await settledApiRequests(driver);
    driver.hub.resetLog();
    await driver.goto(`${HUB}/datasets/sentinel-verified/parquet-corpus`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await settledApiRequests(driver)).toEqual([]);
  });

  test("pages that are not repos start nothing; a listing's cards ask only once its content script runs", async ({ driver }) => {
    driver.hub.setLatency({ pageMs: 600 });
    await driver.goto(`${HUB}/docs`);
    await driver.goto(`${HUB}/pricing`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(driver.hub.apiRequests()).toEqual([]);

    await driver.goto(`${HUB}/models`);
    const listing = pageRequest(driver, "/models");
    const requests = await settledApiRequests(driver);
    for (const entry of requests) expect(entry.time, entry.path).toBeGreaterThanOrEqual(listing?.endTime ?? Infinity);
  });

  test("leaving mid-prefetch cancels its requests, and nothing of it lands on the next page", async ({ driver }) => {
    // The first repo's info is held at the fake Hub and never answered while the test runs: the user moves on.
    const gate = driver.hub.hold(({ path }) => path.includes("fresh-uploader-7/pickle-rce/revision/"));
    driver.hub.setLatency({ pageMs: SLOW_PAGE_MS });
    await driver.goto(`${HUB}/fresh-uploader-7/pickle-rce`);
    await waitUntil(async () => driver.hub.apiRequests().some((entry) => entry.path.includes("fresh-uploader-7/pickle-rce/revision/")), "the first repo's info request");
    driver.hub.setLatency(undefined);

    await driver.goto(`${HUB}/sentinel-verified/tiny-safetensors`);
    expect(await finalLevel(driver)).toBe("ok");
    expect(await driver.attribute(REPO_BADGE, "data-repo")).toBe("sentinel-verified/tiny-safetensors");

    const slow = await waitUntil(
      async () => driver.hub.apiRequests().find((entry) => entry.path.includes("fresh-uploader-7/pickle-rce/revision/") && entry.endTime !== undefined),
      "the first repo's info request to end",
    );
    expect(slow.cancelled, "the browser gave up the request of the page it left").toBe(true);
    // Had the held answer come now, it would have nowhere to land: the badge still names the page it is on.
    gate.open();
    expect(await driver.attribute(REPO_BADGE, "data-repo")).toBe("sentinel-verified/tiny-safetensors");
    expect(await driver.count(REPO_BADGE)).toBe(1);
  });
});
