import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrefetcher, type PrefetchDeps } from "../../../lib/background/prefetch";
import { createVerdictService } from "../../../lib/background/verdict-service";
import { createFactCache } from "../../../lib/hub/cache";
import { createHubClient } from "../../../lib/hub/client";
import type { RepoRef } from "../../../lib/repo-ref";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * Start at navigation, with the real client, cache, rules and verdict service against the fake Hub
 * over HTTPS: what a tab's URL starts, that the content script's later request costs nothing more,
 * and that leaving the page cancels what it started.
 */
describe("prefetch at navigation", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(() => {
    hub.resetLog();
    hub.clearFaults();
  });

  const TAB = 7;
  const model = (id: string): RepoRef => ({ type: "model", id, revision: "main" });

  function background(options: { budgetAllowsOptionalWork?: () => boolean } = {}) {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub), cache: createFactCache() });
    const gathered: { repo: RepoRef; authorKind?: string }[] = [];
    const deps: PrefetchDeps = {
      warm: (repo, warmOptions) => {
        gathered.push({ repo, ...(warmOptions.authorKind ? { authorKind: warmOptions.authorKind } : {}) });
        return client.warmRepoFacts(repo, warmOptions);
      },
      onLeftRepo: (tabId, next) => verdicts.leftRepo(tabId, next),
      ...options,
    };
    const prefetch = createPrefetcher(deps);
    const verdicts = createVerdictService({
      client,
      rules: RULES,
      policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false, extraFindings: () => [] }),
      prefetched: (tabId, repo) => prefetch.repoFor(tabId, repo),
    });
    return { client, prefetch, verdicts, gathered };
  }

  async function settled(): Promise<void> {
    // Requests still on their way are logged when they arrive: wait until the log stops growing.
    let count = -1;
    while (count !== hub.log.length || hub.log.some((entry) => entry.endTime === undefined)) {
      count = hub.log.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const apiPaths = () => hub.apiRequests().map((entry) => `${entry.method} ${entry.path.split("?")[0] ?? ""}`);

  it("starts gathering when the URL is known, and the badge's request sends nothing more", async () => {
    const { prefetch, verdicts } = background();
    expect(prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased")).toEqual(model("google-bert/bert-base-uncased"));
    // The request reached the Hub before anything asked for a verdict.
    await expect.poll(() => hub.apiRequests().length).toBeGreaterThan(0);
    const askedAt = Date.now();
    const verdict = await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { authorKind: "org", tabId: TAB });
    await settled();

    expect(verdict.findings.map((finding) => finding.id)).not.toContain("fetch-failed");
    expect(hub.apiRequests()[0]?.time).toBeLessThanOrEqual(askedAt);
    const paths = apiPaths();
    expect(new Set(paths).size).toBe(paths.length); // no request twice
    expect(paths.length).toBeLessThanOrEqual(6);
    expect(verdicts.tabState(TAB)).toMatchObject({ state: "done", verdict: { repo: { id: "google-bert/bert-base-uncased" } } });
  });

  it("joins a prefetch still in flight instead of starting its own", async () => {
    hub.setFault("google-bert/bert-base-uncased", "info", { kind: "delay", ms: 300 });
    const { prefetch, verdicts } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased/tree/main");
    await expect.poll(() => hub.apiRequests().length).toBeGreaterThan(0);
    const verdict = await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { authorKind: "org", tabId: TAB });
    await settled();
    expect(verdict.findings.map((finding) => finding.id)).not.toContain("fetch-failed");
    const paths = apiPaths();
    expect(paths.filter((path) => path.includes("/revision/main"))).toHaveLength(1);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("uses the prefetch when the header names the repo in another case (the Hub's canonical id)", async () => {
    const { prefetch, verdicts } = background();
    prefetch.navigated(TAB, "https://huggingface.co/Google-BERT/BERT-base-uncased");
    const verdict = await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { authorKind: "org", tabId: TAB });
    await settled();
    expect(verdict.repo.id).toBe("google-bert/bert-base-uncased");
    expect(apiPaths().filter((path) => path.includes("/revision/main"))).toHaveLength(1);
  });

  it("cancels the requests of a page the tab left, and no verdict for it lands on the next page", async () => {
    hub.setFault("google-bert/bert-base-uncased", "info", { kind: "delay", ms: 2_000 });
    const { prefetch, verdicts } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    await expect.poll(() => hub.apiRequests().some((entry) => entry.path.includes("/revision/main"))).toBe(true);

    const leftAt = Date.now();
    prefetch.navigated(TAB, "https://huggingface.co/fresh-uploader-7/pickle-rce");
    const next = await verdicts.verdictFor(model("fresh-uploader-7/pickle-rce"), { authorKind: "user", tabId: TAB });
    await settled();

    expect(next.repo.id).toBe("fresh-uploader-7/pickle-rce");
    const left = hub.apiRequests().filter((entry) => entry.path.includes("google-bert"));
    // The slow info request was cut off; whatever else was still open then was too, and nothing started after.
    expect(left.find((entry) => entry.path.includes("/revision/main"))?.cancelled).toBe(true);
    for (const entry of left) {
      expect(entry.time).toBeLessThanOrEqual(leftAt);
      if ((entry.endTime ?? Infinity) > leftAt + 50) expect(entry.cancelled).toBe(true);
    }
    expect(verdicts.tabState(TAB)).toMatchObject({ state: "done", verdict: { repo: { id: "fresh-uploader-7/pickle-rce" } } });
  });

  it("forgets the verdict of the repo a tab showed when it moves to a page that is not a repo", async () => {
    const { prefetch, verdicts } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { tabId: TAB });
    prefetch.navigated(TAB, "https://huggingface.co/docs");
    expect(verdicts.tabState(TAB)).toEqual({ state: "none" });
    expect(prefetch.activeTabs()).toEqual([]);
  });

  it.each([
    ["a listing", "https://huggingface.co/models"],
    ["a profile", "https://huggingface.co/google-bert"],
    ["a page that is not a repo", "https://huggingface.co/docs/hub/index"],
    ["another site", "https://example.com/google-bert/bert-base-uncased"],
    ["plain http", "http://huggingface.co/google-bert/bert-base-uncased"],
    ["no URL (a host we do not hold)", undefined],
    ["not a URL", "::not a url::"],
    ["a malformed escape", "https://huggingface.co/google-bert/%E0%A4%A"],
  ])("gathers nothing for %s", async (_name, url) => {
    const { prefetch, gathered } = background();
    expect(prefetch.navigated(TAB, url)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gathered).toEqual([]);
    expect(hub.apiRequests()).toEqual([]);
  });

  it("gathers once when the same page is reported again (status and URL arrive separately)", async () => {
    const { prefetch, gathered } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    expect(gathered).toHaveLength(1);
    await settled();
  });

  it("moves with a page's own URL changes (a file view of the same repo keeps the prefetch, another revision starts one)", async () => {
    const { prefetch, gathered } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased/discussions");
    expect(gathered).toHaveLength(1);
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased/tree/refs%2Fpr%2F1");
    expect(gathered.map((entry) => entry.repo.revision)).toEqual(["main", "refs/pr/1"]);
    await settled();
  });

  it("starts nothing when the rate-limit budget says optional work must wait", async () => {
    const { prefetch, gathered } = background({ budgetAllowsOptionalWork: () => false });
    expect(prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased")).toBeUndefined();
    expect(gathered).toEqual([]);
  });

  it("asks for a user's overview directly once the page said the owner is a user", async () => {
    const { prefetch, gathered } = background();
    prefetch.learnAuthorKind(model("fresh-uploader-7/other"), "user");
    prefetch.navigated(TAB, "https://huggingface.co/fresh-uploader-7/pickle-rce");
    expect(gathered[0]?.authorKind).toBe("user");
    await settled();
    expect(hub.apiRequests().some((entry) => entry.path.includes("/api/organizations/"))).toBe(false);
  });

  it("names the repo as the tab's URL did, for that tab and repo only", async () => {
    const { prefetch } = background();
    prefetch.navigated(TAB, "https://huggingface.co/Google-BERT/BERT-base-uncased");
    expect(prefetch.repoFor(TAB, model("google-bert/bert-base-uncased"))).toEqual(model("Google-BERT/BERT-base-uncased"));
    expect(prefetch.repoFor(TAB, model("google-bert/roberta-base"))).toBeUndefined();
    expect(prefetch.repoFor(undefined, model("google-bert/bert-base-uncased"))).toBeUndefined();
    expect(prefetch.repoFor(TAB + 1, model("google-bert/bert-base-uncased"))).toBeUndefined();
    await settled();
  });

  it("leaves the pull requests to the page: none asked when its header counts no discussion", async () => {
    const { prefetch, verdicts } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    await settled();
    expect(apiPaths().some((path) => path.includes("/discussions"))).toBe(false);
    const verdict = await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { authorKind: "org", discussions: { open: 0, total: 0 }, tabId: TAB });
    await settled();
    expect(verdict.findings.map((finding) => finding.id)).not.toContain("fetch-failed");
    expect(apiPaths().some((path) => path.includes("/discussions"))).toBe(false);
  });

  it("asks for the pull requests at once on a Community tab, which lists them", async () => {
    const { prefetch } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased/discussions");
    await settled();
    expect(apiPaths().filter((path) => path.includes("/discussions"))).toHaveLength(1);
  });

  it("asks for the pull requests when the header counts discussions, or says nothing", async () => {
    const { prefetch, verdicts } = background();
    prefetch.navigated(TAB, "https://huggingface.co/google-bert/bert-base-uncased");
    await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { authorKind: "org", discussions: { open: 2, total: 5 }, tabId: TAB });
    await settled();
    expect(apiPaths().filter((path) => path.includes("/discussions"))).toHaveLength(1);
  });

});
