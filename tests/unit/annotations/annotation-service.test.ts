import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnnotationService } from "../../../lib/background/annotation-service";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { blockedAuthorFindings } from "../../../lib/settings/policy";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { NOT_CHECKED_ACCOUNT_AGE, NOT_CHECKED_ORG_VERIFIED, NOT_CHECKED_SCANS } from "../../../lib/annotations/card-verdict";
import { LISTING_REPOS } from "../../fake-hub/annotation-catalogue";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { LISTING_FAULT_KEY, startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * The background's row annotations against the fake Hub over HTTPS, with the real client and
 * rules: which rows are annotated and what they say, and what the cards cost in requests.
 */
describe("annotation service", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(() => hub.resetLog());

  function service() {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    return createAnnotationService({
      client,
      rules: RULES,
      policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }),
      hubUrl: "https://huggingface.co",
    });
  }
  const model = (id: string) => ({ type: "model" as const, id, revision: "main" });

  it("annotates pickles, flagged files and recent weight changes, and no other row", async () => {
    const paths = [".gitattributes", "README.md", "config.json", "model.safetensors", "pytorch_model.bin", "sample_00.txt", "zz_late_weights.pt", "checkpoints/epoch-1/model.ckpt"];
    const { files, repoLevel } = await service().files(model("annot-lab/mixed-files"), paths, {});
    expect(repoLevel).toBe("danger");
    expect(files.map((file) => [file.path, file.level])).toEqual([
      ["model.safetensors", "info"],
      ["pytorch_model.bin", "danger"],
      ["zz_late_weights.pt", "info"],
      ["checkpoints/epoch-1/model.ckpt", "info"],
    ]);
    const bin = files.find((file) => file.path === "pytorch_model.bin");
    expect(bin?.imports.map((item) => `${item.module}.${item.name}:${item.safety}`)).toEqual([
      "builtins.exec:dangerous",
      "numpy.core.multiarray._reconstruct:suspicious",
      "collections.OrderedDict:innocuous",
      "torch._utils._rebuild_tensor_v2:innocuous",
    ]);
    // A dangerous import carries what loading it would do; others carry nothing.
    expect(bin?.imports[0]?.does).toBe("evaluates a code string");
    expect(bin?.imports.slice(1).every((item) => item.does === undefined)).toBe(true);
    expect(bin?.scans[0]).toMatchObject({ scanner: "Hugging Face pickle scan", status: "unsafe" });
    expect(bin?.findings.map((finding) => finding.id)).toEqual(expect.arrayContaining(["pickle-imports", "pickle-weights"]));
    const recent = files.find((file) => file.path === "model.safetensors");
    expect(recent?.findings.map((finding) => finding.id)).toEqual(["weights-changed"]);
    expect(recent?.lastChange).toMatchObject({ title: "Upload model.safetensors", authors: ["annot-lab"] });
    expect(recent?.lastChange?.url).toMatch(/^https:\/\/huggingface\.co\/annot-lab\/mixed-files\/commit\/[0-9a-f]{40}$/);
    // One commit-list request for the authors, on top of the repo's own facts.
    expect(hub.apiRequests().filter((entry) => entry.path.includes("/commits/"))).toHaveLength(1);
  });

  it("a file view's file is annotated even with nothing to report", async () => {
    const { files } = await service().files(model("annot-lab/mixed-files"), ["config.json"], { always: true });
    expect(files).toEqual([expect.objectContaining({ path: "config.json", level: "ok", findings: [] })]);
  });

  it("when the repo cannot be read, pickle rows are unknown with the reason, other rows have none", async () => {
    const { files } = await service().files(model("nobody/missing-model"), ["pytorch_model.bin", "README.md"], {});
    expect(files.map((file) => [file.path, file.level, file.findings.map((f) => f.id)])).toEqual([["pytorch_model.bin", "unknown", ["fetch-failed"]]]);
    expect(files[0]?.gap).toContain("could not be read");
  });

  it("refuses a repo id that is not one (content scripts run in pages)", async () => {
    await expect(service().files({ type: "model", id: "../../api/whoami-v2", revision: "main" }, ["x"], {})).rejects.toThrow("Not a repo");
    expect(hub.log).toHaveLength(0);
  });

  it("annotates pull requests, not plain discussions; says what a conversion PR changes and whether it is genuine", async () => {
    const { prs } = await service().prs(
      model("annot-org/pr-mix"),
      [{ num: 1 }, { num: 2 }, { num: 3, isPullRequest: false }, { num: 4 }, { num: 5, isPullRequest: true }, { num: 99 }],
      {},
    );
    expect(prs.map((pr) => [pr.num, pr.level, pr.findings.map((f) => f.id)])).toEqual([
      [1, "warn", ["conversion-pr"]],
      [2, "danger", ["conversion-pr"]],
      [4, "info", []],
      [5, "info", []],
    ]);
    expect(prs[0]?.summary).toContain("adds model.safetensors");
    expect(prs[0]?.summary).toContain("looks like what it claims");
    expect(prs[1]?.summary).toContain("NOT what it claims");
    expect(prs[1]?.summary).toContain("modifies config.json");
    expect(prs[2]?.summary).toContain("diff was not reviewed");
    expect(prs[3]?.summary).toContain("not checked");
  });

  it("a listing page's cards cost one listing call, and nothing the second time", async () => {
    const annotations = service();
    const listed = LISTING_REPOS.slice(0, 30).map((repo) => ({ type: repo.type, id: repo.id, authorKind: "org" as const, listing: "/models" }));
    const views = await annotations.cards(listed);
    expect(views).toHaveLength(30);
    const requests = hub.apiRequests().map((entry) => entry.path);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^\/api\/models\?/);
    expect(requests[0]).toContain("expand%5B%5D=siblings");
    // The generated repos have safetensors (some beside a pickle): the listing's data decides them.
    expect(views.map((view) => view.level)).toEqual(LISTING_REPOS.slice(0, 30).map((repo) => repo.expect.level));
    // Said on each card: the organization's verified mark and the scanners were not checked.
    expect(views[0]?.notChecked).toEqual(expect.arrayContaining([NOT_CHECKED_SCANS, NOT_CHECKED_ORG_VERIFIED]));
    await annotations.cards(listed);
    expect(hub.apiRequests()).toHaveLength(1);
  });

  it("pickle weights without a safetensors copy get the repo's scan summary; other cards do not, and no author is fetched", async () => {
    const views = await service().cards([
      { type: "model", id: "fresh-uploader-7/pickle-rce", authorKind: "user", listing: "/models" },
      { type: "model", id: "google-bert/bert-base-uncased", authorKind: "org", listing: "/models" },
      { type: "model", id: "sentinel-verified/tiny-safetensors", authorKind: "org", listing: "/models" },
      { type: "model", id: "remote-arch/custom-model", authorKind: "org", listing: "/models" },
    ]);
    const byId = new Map(views.map((view) => [view.id, view]));
    expect(byId.get("fresh-uploader-7/pickle-rce")?.level).toBe("danger");
    expect(byId.get("fresh-uploader-7/pickle-rce")?.findings.map((f) => f.id)).toEqual(expect.arrayContaining(["scanner-flag", "unverified-author"]));
    // A user account (the page says so) is unverified by definition; its age was not checked.
    expect(byId.get("fresh-uploader-7/pickle-rce")?.notChecked).toEqual([NOT_CHECKED_ACCOUNT_AGE]);
    expect(byId.get("google-bert/bert-base-uncased")?.level).toBe("info");
    expect(byId.get("sentinel-verified/tiny-safetensors")?.level).toBe("ok");
    expect(byId.get("remote-arch/custom-model")?.findings.map((f) => f.id)).toContain("remote-code");
    const paths = hub.apiRequests().map((entry) => entry.path);
    expect(paths.filter((path) => path.startsWith("/api/models?"))).toHaveLength(1);
    expect(paths.filter((path) => !path.startsWith("/api/models?"))).toEqual(["/api/models/fresh-uploader-7/pickle-rce/revision/main?securityStatus=true&blobs=true"]);
  });

  it("a card the listing did not cover, or a listing that failed, is checked on its own", async () => {
    const annotations = service();
    // The page searched for listing-beta: bert is not in that answer (a promotion, or the list moved on).
    const [bert] = await annotations.cards([{ type: "model", id: "google-bert/bert-base-uncased", authorKind: "org", listing: "/models?search=listing-beta" }]);
    expect(bert?.level).toBe("info");
    expect(hub.apiRequests().map((entry) => entry.path)).toEqual([expect.stringMatching(/^\/api\/models\?.*search=listing-beta/), "/api/models/google-bert/bert-base-uncased/revision/main?securityStatus=true&blobs=true"]);
    hub.resetLog();
    hub.setFault(LISTING_FAULT_KEY, "all", { kind: "status", status: 500 });
    try {
      const views = await service().cards([{ type: "model", id: "sentinel-verified/tiny-safetensors", authorKind: "org", listing: "/models" }]);
      expect(views[0]?.level).toBe("ok");
      // Checked from its own repo info, which carries the scan summary: the scanners are not left out.
      expect(views[0]?.notChecked).toEqual([NOT_CHECKED_ORG_VERIFIED]);
      expect(hub.apiRequests()).toHaveLength(2);
    } finally {
      hub.clearFaults();
    }
  });

  it("with listing marks switched off, a card-verdicts message asks the Hub nothing and says so", async () => {
    let enabled = false;
    const annotations = createAnnotationService({
      client: createHubClient({ fetch: fetchViaFakeHub(hub) }),
      rules: RULES,
      policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }),
      cardsEnabled: () => Promise.resolve(enabled),
      hubUrl: "https://huggingface.co",
    });
    const card = { type: "model" as const, id: "fresh-uploader-7/pickle-rce", authorKind: "user" as const, listing: "/models" };
    expect(await annotations.cardVerdicts([card])).toEqual({ cards: [], disabled: true });
    expect(hub.apiRequests()).toHaveLength(0);
    enabled = true;
    const answer = await annotations.cardVerdicts([card]);
    expect(answer.disabled).toBeUndefined();
    expect(answer.cards[0]?.level).toBe("danger");
  });

  it("an author already known (a day's cache) is used on cards without a request", async () => {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    const annotations = createAnnotationService({ client, rules: RULES, policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }), hubUrl: "https://huggingface.co" });
    await client.author("legacy-lab", "org");
    hub.resetLog();
    const [card] = await annotations.cards([{ type: "model", id: "legacy-lab/hijacked-pr", authorKind: "org", listing: "/models" }]);
    expect(card?.findings.map((f) => f.id)).toContain("unverified-author");
    expect(card?.notChecked).not.toContain(NOT_CHECKED_ORG_VERIFIED);
    expect(hub.apiRequests().some((entry) => entry.path.includes("/overview"))).toBe(false);
  });

  it("a hostile listing path from a page is not followed anywhere but the list endpoint", async () => {
    const views = await service().cards([
      { type: "model", id: "sentinel-verified/tiny-safetensors", authorKind: "org", listing: "//evil.example/models" },
      { type: "model", id: "google-bert/bert-base-uncased", authorKind: "org", listing: "/models?search=../../api/whoami-v2&sort=<script>" },
    ]);
    expect(views).toHaveLength(2);
    for (const entry of hub.apiRequests()) expect(entry.path).toMatch(/^\/api\/models(\?|\/(sentinel-verified|google-bert)\/)/);
  });

  it("a card's quick verdict: scanner flags, scans not done and gaps are said; PRs are not checked", async () => {
    const views = await service().cards([
      { type: "model", id: "fresh-uploader-7/pickle-rce", authorKind: "user" },
      { type: "model", id: "sentinel-verified/tiny-safetensors", authorKind: "org" },
      { type: "model", id: "google-bert/bert-base-uncased", authorKind: "org" },
      { type: "model", id: "quiet-lab/queued-scan", authorKind: "user" },
      { type: "model", id: "nobody/missing-model", authorKind: "user" },
      { type: "model", id: "legacy-lab/hijacked-pr", authorKind: "org" },
      { type: "space", id: "space-builder/docker-oauth", authorKind: "user" },
      { type: "model", id: "someone/private-thing", private: true },
      { type: "model", id: "not a repo" } as never,
    ]);
    const byId = new Map(views.map((view) => [view.id, view]));
    expect(byId.get("fresh-uploader-7/pickle-rce")?.level).toBe("danger");
    expect(byId.get("fresh-uploader-7/pickle-rce")?.findings.map((f) => f.id)).toContain("scanner-flag");
    expect(byId.get("sentinel-verified/tiny-safetensors")?.level).toBe("ok");
    expect(byId.get("google-bert/bert-base-uncased")?.level).toBe("info");
    expect(byId.get("quiet-lab/queued-scan")?.findings.map((f) => f.id)).toContain("scan-incomplete");
    expect(byId.get("nobody/missing-model")?.findings.map((f) => f.id)).toEqual(["fetch-failed"]);
    // The impostor PR is a repo-page finding: cards do not read pull requests.
    expect(byId.get("legacy-lab/hijacked-pr")?.findings.map((f) => f.id)).not.toContain("conversion-pr");
    expect(byId.get("space-builder/docker-oauth")?.findings.map((f) => f.id)).toEqual(expect.arrayContaining(["space-docker", "space-oauth"]));
    expect(byId.get("someone/private-thing")?.level).toBe("unknown");
    expect(byId.has("not a repo")).toBe(false);
    expect(hub.apiRequests().some((entry) => entry.path.includes("private-thing") || entry.path.includes("/discussions"))).toBe(false);
  });

  it("after a 429 the cards are unknown, and no more requests go out until the Hub's wait is over", async () => {
    const annotations = service();
    const [limited] = await annotations.cards([{ type: "model", id: "busy-org/rate-limited", authorKind: "org" }]);
    expect(limited?.level).toBe("unknown");
    const sent = hub.apiRequests().length;
    const [next] = await annotations.cards([{ type: "model", id: "sentinel-verified/tiny-safetensors", authorKind: "org" }]);
    expect(next?.level).toBe("unknown");
    expect(next?.findings.map((f) => f.id)).toContain("fetch-failed");
    expect(hub.apiRequests().length).toBe(sent);
  });

  it("an organization's blocked author makes file rows and cards danger, as on the repo badge", async () => {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    const blocking = createAnnotationService({
      client,
      rules: RULES,
      policy: () =>
        Promise.resolve({
          settings: DEFAULT_RULE_SETTINGS,
          isAllowlisted: () => false,
          extraFindings: (repo) => blockedAuthorFindings({ blockedAuthors: ["sentinel-verified"] }, repo),
        }),
      hubUrl: "https://huggingface.co",
    });
    const [card] = await blocking.cards([{ type: "model", id: "sentinel-verified/tiny-safetensors", authorKind: "org" }]);
    expect(card?.level).toBe("danger");
    const { repoLevel } = await blocking.files(model("sentinel-verified/tiny-safetensors"), ["model.safetensors"], {});
    expect(repoLevel).toBe("danger");
  });
});
