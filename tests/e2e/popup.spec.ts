import { expect, test } from "./fixtures";
import { finalLevel, findingsOf, HUB, REPO_BADGE, tabsOf, waitUntil, type Driver } from "./driver";

/**
 * The popup (popup.html) in the built extension, against the fake Hub: this tab's verdict from the background's
 * cache, and the token review through the background's whoami-v2 request (tests/fake-hub/tokens.ts knows four
 * tokens; any other well-formed one gets 401).
 */

const CLASSIC_WRITE = "hf_ClassicWriteToken000000000000000aa";
const NARROW = "hf_NarrowFineGrained000000000000000bb";
const PRE_INCIDENT = "hf_PreIncidentReadToken000000000000cc";
const ORG_ADMIN = "hf_OrgAdminFineGrained0000000000000dd";
/** Well-formed, unknown to the Hub. */
const INVALID = "hf_UnknownToTheHub00000000000000000zz";

const INPUT = '[data-hub-sentinel="token-input"]';
const CHECK = '[data-hub-sentinel="token-check"]';
const REPORT = '[data-hub-sentinel="token-report"]';
const ERROR = '[data-hub-sentinel="token-error"]';
const KEEP = '[data-hub-sentinel="token-keep-session"]';
const SUMMARY = '[data-hub-sentinel="tab-summary"]';

async function review(driver: Driver, token: string): Promise<"report" | "error"> {
  await driver.fill(INPUT, token);
  await driver.click(CHECK);
  return waitUntil(async () => {
    if ((await driver.count(REPORT)) > 0) return "report" as const;
    if ((await driver.count(ERROR)) > 0) return "error" as const;
    return undefined;
  }, "a token report or error");
}

function findingsAt(value: string | null): string[] {
  return (value ?? "").split(" ").filter(Boolean);
}

/** Every place the token could have gone: the fake Hub sees every host (the browser maps them all to it). */
function requestsCarrying(driver: Driver, token: string) {
  return driver.hub.log.filter((entry) => [entry.authorization, entry.path, entry.host, entry.body].some((field) => field?.includes(token)));
}

function whoamiRequests(driver: Driver) {
  return driver.hub.log.filter((entry) => entry.path.startsWith("/api/whoami-v2"));
}

/** The raw token appears in no storage area, under no key and in no value. */
async function expectNoTokenInStorage(driver: Driver, token: string, areas = ["local", "sync", "session"]) {
  const storage = await driver.extensionStorage();
  for (const area of areas) {
    const text = JSON.stringify(storage[area] ?? {});
    expect(text, `storage.${area}`).not.toContain(token);
    // Not even its body without the prefix.
    expect(text, `storage.${area}`).not.toContain(token.slice(3));
  }
}

/** The token went to https://huggingface.co/api/whoami-v2 in the Authorization header, and nowhere else. */
function expectSentOnlyToWhoami(driver: Driver, token: string, times = 1) {
  const carrying = requestsCarrying(driver, token);
  expect(carrying).toHaveLength(times);
  for (const entry of carrying) {
    expect(entry.host).toBe("huggingface.co");
    expect(entry.path).toBe("/api/whoami-v2");
    expect(entry.authorization).toBe(`Bearer ${token}`);
    expect(entry.body ?? "").not.toContain(token);
    expect(entry.cookie).toBe(false);
  }
}

test.describe("popup: token review", () => {
  test.beforeEach(async ({ driver }) => {
    await driver.openExtensionPage("popup.html");
    // The form appears once the popup knows token review is allowed (an organization can turn it off).
    await waitUntil(() => driver.count(INPUT), "the token field");
  });

  test("a classic write token is broad: legacy-role and write-access, with links to replace it", async ({ driver }) => {
    expect(await driver.attribute(INPUT, "type")).toBe("password");
    expect(await review(driver, CLASSIC_WRITE)).toBe("report");
    expect(await driver.attribute(REPORT, "data-role")).toBe("write");
    expect(await driver.attribute(REPORT, "data-broad")).toBe("true");
    const findings = findingsAt(await driver.attribute(REPORT, "data-findings"));
    expect(findings).toEqual(expect.arrayContaining(["legacy-role", "write-access"]));
    expect(findings).not.toContain("pre-incident");
    expect(await driver.count(ERROR)).toBe(0);
    // Account, token name, role, dates, in words.
    const text = (await driver.text(REPORT)) ?? "";
    expect(text).toContain("sentinel-tester");
    expect(text).toContain("laptop");
    expect(text).toContain("2025-02-10");
    // Replace it: token settings, the fine-grained form, revoke steps.
    expect(await driver.attribute('[data-hub-sentinel="token-manage-link"]', "href")).toBe("https://huggingface.co/settings/tokens");
    expect(await driver.attribute('[data-hub-sentinel="token-replace-link"]', "href")).toMatch(/^https:\/\/huggingface\.co\/settings\/tokens\/new\?tokenType=fineGrained/);
    expect(await driver.count('[data-hub-sentinel="token-revoke-steps"] li')).toBeGreaterThan(1);

    expectSentOnlyToWhoami(driver, CLASSIC_WRITE);
    await expectNoTokenInStorage(driver, CLASSIC_WRITE);
    // The review is remembered, as a summary filed under a fingerprint.
    const local = (await driver.extensionStorage()).local ?? {};
    const keys = Object.keys(local).filter((key) => key.startsWith("token-review:"));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^token-review:[0-9a-f]{16}$/);
    expect(local[keys[0] ?? ""]).toMatchObject({ account: "sentinel-tester", tokenName: "laptop", role: "write", broad: true });
    expect(await driver.count('[data-hub-sentinel="reviewed-token"][data-broad="true"]')).toBe(1);
  });

  test("a narrow fine-grained token is not broad and has no findings", async ({ driver }) => {
    expect(await review(driver, NARROW)).toBe("report");
    expect(await driver.attribute(REPORT, "data-role")).toBe("fineGrained");
    expect(await driver.attribute(REPORT, "data-broad")).toBe("false");
    expect(await driver.attribute(REPORT, "data-findings")).toBe("");
    // Scopes in plain words, grouped: the one repo it reads.
    expect((await driver.text(`${REPORT} [data-scope-group="repo"]`)) ?? "").toContain("sentinel-verified/tiny-safetensors");
    expectSentOnlyToWhoami(driver, NARROW);
    await expectNoTokenInStorage(driver, NARROW);
  });

  test("a token from before the 2024 incident is flagged pre-incident", async ({ driver }) => {
    expect(await review(driver, PRE_INCIDENT)).toBe("report");
    expect(await driver.attribute(REPORT, "data-role")).toBe("read");
    expect(findingsAt(await driver.attribute(REPORT, "data-findings"))).toEqual(expect.arrayContaining(["pre-incident", "legacy-role"]));
    expect((await driver.text(REPORT)) ?? "").toContain("2023-11-02");
    expectSentOnlyToWhoami(driver, PRE_INCIDENT);
    await expectNoTokenInStorage(driver, PRE_INCIDENT);
  });

  test("an org admin's org-wide fine-grained token: org-admin, broad-scope, write-access", async ({ driver }) => {
    expect(await review(driver, ORG_ADMIN)).toBe("report");
    expect(await driver.attribute(REPORT, "data-role")).toBe("fineGrained");
    expect(await driver.attribute(REPORT, "data-broad")).toBe("true");
    expect(findingsAt(await driver.attribute(REPORT, "data-findings"))).toEqual(expect.arrayContaining(["org-admin", "broad-scope", "write-access"]));
    expect(await driver.count(`${REPORT} [data-scope-group="org"]`)).toBe(1);
    expect(await driver.count(`${REPORT} [data-scope-group="user"]`)).toBe(1);
    expectSentOnlyToWhoami(driver, ORG_ADMIN);
    await expectNoTokenInStorage(driver, ORG_ADMIN);
  });

  test("a malformed token gets a clear message and no request is made", async ({ driver }) => {
    expect(await review(driver, "hf_tooShort")).toBe("error");
    expect(await driver.attribute(ERROR, "data-kind")).toBe("malformed");
    expect((await driver.text(ERROR)) ?? "").toContain("wrong length");
    expect(await driver.count(REPORT)).toBe(0);
    expect(await review(driver, "ghp_notAHuggingFaceTokenAtAll00000000")).toBe("error");
    expect((await driver.text(ERROR)) ?? "").toContain("hf_");
    expect(whoamiRequests(driver)).toHaveLength(0);
    expect(driver.hub.log.filter((entry) => entry.authorization !== undefined)).toHaveLength(0);
    await expectNoTokenInStorage(driver, "hf_tooShort");
  });

  test("a token the Hub rejects (401) is invalid-token, and nothing is remembered", async ({ driver }) => {
    expect(await review(driver, INVALID)).toBe("error");
    expect(await driver.attribute(ERROR, "data-kind")).toBe("invalid-token");
    expect((await driver.text(ERROR)) ?? "").toContain("does not accept this token");
    expect(await driver.count(REPORT)).toBe(0);
    expectSentOnlyToWhoami(driver, INVALID);
    await expectNoTokenInStorage(driver, INVALID);
    const local = (await driver.extensionStorage()).local ?? {};
    expect(Object.keys(local).filter((key) => key.startsWith("token-review:"))).toEqual([]);
  });

  test("an unreachable Hub is said plainly, with no report", async ({ driver }) => {
    driver.hub.setWhoamiFault({ kind: "unreachable" });
    expect(await review(driver, CLASSIC_WRITE)).toBe("error");
    expect(await driver.attribute(ERROR, "data-kind")).toBe("network");
    expect((await driver.text(ERROR)) ?? "").toContain("could not be reached");
    expect(await driver.count(REPORT)).toBe(0);
    // Whatever the browser retried, the token only ever went to whoami-v2.
    const carrying = requestsCarrying(driver, CLASSIC_WRITE);
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.every((entry) => entry.host === "huggingface.co" && entry.path === "/api/whoami-v2")).toBe(true);
    await expectNoTokenInStorage(driver, CLASSIC_WRITE);
  });

  test("a rate limit (429) says when to try again, and no request is made before then", async ({ driver }) => {
    driver.hub.setWhoamiFault({ kind: "rate-limit", retryAfter: 2 });
    expect(await review(driver, NARROW)).toBe("error");
    expect(await driver.attribute(ERROR, "data-kind")).toBe("rate-limited");
    expect((await driver.text(ERROR)) ?? "").toMatch(/Try again in [12] s/);
    expect(await review(driver, PRE_INCIDENT)).toBe("error");
    expect(await driver.attribute(ERROR, "data-kind")).toBe("rate-limited");
    // No request reached the Hub before the back-off it asked for had passed: checked on the request
    // log's own times, so a slow step in between (which may let the back-off pass) changes nothing.
    const asked = whoamiRequests(driver);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    for (const [earlier, later] of asked.slice(0, -1).map((entry, index) => [entry, asked[index + 1]] as const)) {
      expect(later?.time ?? Infinity).toBeGreaterThanOrEqual((earlier.endTime ?? earlier.time) + 2_000 - 50);
    }
    // Let the back-off pass so later tests in this browser are not affected (it began before this
    // line, so this pause outlasts it however slow the steps above were).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  });

  test("a second review of the same token is answered from the cache and shows the earlier review", async ({ driver }) => {
    expect(await review(driver, CLASSIC_WRITE)).toBe("report");
    await driver.openExtensionPage("popup.html");
    // The earlier review is listed when the popup opens again.
    await waitUntil(() => driver.count('[data-hub-sentinel="reviewed-token"]'), "the reviewed tokens list");
    expect(await driver.attribute('[data-hub-sentinel="reviewed-token"]', "data-broad")).toBe("true");
    expect(await review(driver, CLASSIC_WRITE)).toBe("report");
    expect(await driver.attribute('[data-hub-sentinel="token-previous"]', "data-broad")).toBe("true");
    expect(whoamiRequests(driver)).toHaveLength(1);
  });

  test("'keep for this browser session' keeps the token in storage.session only, and unticking forgets it", async ({ driver }) => {
    await driver.click(KEEP);
    expect(await review(driver, ORG_ADMIN)).toBe("report");
    const storage = await driver.extensionStorage();
    expect(Object.values(storage.session ?? {})).toContain(ORG_ADMIN);
    await expectNoTokenInStorage(driver, ORG_ADMIN, ["local", "sync"]);

    // The popup opens again with the kept token and the box ticked.
    await driver.openExtensionPage("popup.html");
    await waitUntil(() => driver.count('[data-hub-sentinel="token-kept"]'), "the kept-token note");
    expect(await driver.evaluate<string>(`document.querySelector('${INPUT}').value`)).toBe(ORG_ADMIN);
    expect(await driver.evaluate<boolean>(`document.querySelector('${KEEP}').checked`)).toBe(true);
    expect(await driver.attribute('[data-hub-sentinel="token-previous"]', "data-broad")).toBe("true");

    await driver.click(KEEP);
    await waitUntil(async () => !JSON.stringify((await driver.extensionStorage()).session ?? {}).includes(ORG_ADMIN), "the kept token to be forgotten");
    await expectNoTokenInStorage(driver, ORG_ADMIN);
  });
});

test.describe("popup: this page", () => {
  test("shows the tab's verdict from the background's cache and opens the page's panel", async ({ driver }) => {
    await driver.goto(`${HUB}/google-bert/bert-base-uncased`);
    const level = await finalLevel(driver);
    const badgeFindings = await findingsOf(driver);
    const tabs = tabsOf(driver);
    const tabId = await tabs.tabId();
    const apiBefore = driver.hub.apiRequests().length;

    await tabs.newTab();
    await driver.openExtensionPage(`popup.html?tab=${tabId}`);
    await waitUntil(async () => (await driver.attribute(SUMMARY, "data-level")) === level, "the tab summary");
    expect(await driver.attribute(SUMMARY, "data-repo")).toBe("google-bert/bert-base-uncased");
    expect(findingsAt(await driver.attribute(SUMMARY, "data-findings")).sort()).toEqual([...badgeFindings].sort());
    expect(await driver.count(`${SUMMARY} [data-finding]`)).toBeGreaterThan(0);
    // From the background's cache: the Hub was not asked again.
    expect(driver.hub.apiRequests()).toHaveLength(apiBefore);

    await driver.click('[data-hub-sentinel="tab-open-panel"]');
    await tabs.switchToTab(0);
    await waitUntil(() => driver.count(`${REPO_BADGE} >>> [role="dialog"]`), "the findings panel on the page");
    expect(driver.hub.apiRequests()).toHaveLength(apiBefore);
  });

  test("a tab that is not a Hub repo page has no summary", async ({ driver }) => {
    await driver.goto(`${HUB}/docs`);
    const tabs = tabsOf(driver);
    const tabId = await tabs.tabId();
    await tabs.newTab();
    await driver.openExtensionPage(`popup.html?tab=${tabId}`);
    await waitUntil(() => driver.count('[data-hub-sentinel="tab-none"]'), "the not-a-repo message");
    expect(await driver.count(SUMMARY)).toBe(0);
  });

  test("after the tab leaves a repo for another Hub page, the popup no longer shows that repo", async ({ driver }) => {
    await driver.goto(`${HUB}/google-bert/bert-base-uncased`);
    await finalLevel(driver);
    await driver.goto(`${HUB}/docs`);
    const tabs = tabsOf(driver);
    const tabId = await tabs.tabId();
    await tabs.newTab();
    await driver.openExtensionPage(`popup.html?tab=${tabId}`);
    await waitUntil(() => driver.count('[data-hub-sentinel="tab-none"]'), "the not-a-repo message");
    expect(await driver.count(SUMMARY)).toBe(0);
  });

  test("opened on its own, the popup's active tab is itself: no summary, and the token form still works", async ({ driver }) => {
    await driver.openExtensionPage("popup.html");
    await waitUntil(() => driver.count('[data-hub-sentinel="tab-none"]'), "the not-a-repo message");
    expect(await driver.count(SUMMARY)).toBe(0);
    // The token field appears once the popup knows token review is allowed.
    expect(await waitUntil(() => driver.count(INPUT), "the token field")).toBe(1);
  });
});
