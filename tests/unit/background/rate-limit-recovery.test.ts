import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnnotationService } from "../../../lib/background/annotation-service";
import { createVerdictService } from "../../../lib/background/verdict-service";
import { createHubClient } from "../../../lib/hub/client";
import { MAX_REFUSALS_IN_A_ROW } from "../../../lib/hub/rate-limit";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * Issue 28: every answer the Hub's rate limit leaves unknown names the end of the block
 * (`recheckAt`), and a re-check then is judged afresh, one request per endpoint for every tab,
 * until the Hub has refused MAX_REFUSALS_IN_A_ROW requests in a row. Against the fake Hub's real
 * 429 answers; `Retry-After: 0` keeps the blocks instant, so nothing here waits on the clock.
 */
describe("recovery from the Hub's rate limit, driven by the block's end", () => {
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

  const CLEAN = "sentinel-verified/tiny-safetensors";
  const model = (id: string) => ({ type: "model" as const, id, revision: "main" });
  const policy = () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false, extraFindings: () => [] });
  const infoStatuses = (id: string) => hub.apiRequests().filter((entry) => entry.path.startsWith(`/api/models/${id}/revision/`)).map((entry) => entry.status);

  function setup() {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub), ownScans: false });
    return {
      client,
      verdicts: createVerdictService({ client, rules: RULES, policy }),
      annotations: createAnnotationService({ client, rules: RULES, policy }),
    };
  }

  it("a repo refused twice in a row is unknown with a re-check time, and the re-check judges it", async () => {
    hub.setFault(CLEAN, "info", { kind: "rate-limit", retryAfter: 0, times: 2 });
    const { verdicts } = setup();
    const before = Date.now();
    const first = await verdicts.verdictFor(model(CLEAN), { tabId: 1 });
    expect(first.level).toBe("unknown");
    expect(first.findings.map((finding) => finding.id)).toContain("fetch-failed");
    expect(first.recheckAt).toBeGreaterThanOrEqual(before);
    expect(first.recheckAt).toBeLessThanOrEqual(Date.now());
    const again = await verdicts.verdictFor(model(CLEAN), { tabId: 1 });
    expect(again.level).toBe("ok");
    expect(again.recheckAt).toBeUndefined();
    expect(infoStatuses(CLEAN)).toEqual([429, 429, 200]);
  });

  it("a long block names its end, and nothing is sent before it", async () => {
    hub.setFault(CLEAN, "info", { kind: "rate-limit", retryAfter: 40 });
    const { verdicts, client } = setup();
    const first = await verdicts.verdictFor(model(CLEAN), { tabId: 1 });
    expect(first.level).toBe("unknown");
    expect(first.recheckAt).toBe(client.budget.blockedUntil());
    expect((first.recheckAt ?? 0) - Date.now()).toBeGreaterThan(30_000);
    // Another tab during the block: unknown at once, the same end, no request.
    const other = await verdicts.verdictFor(model("google-bert/bert-base-uncased"), { tabId: 2 });
    expect(other.level).toBe("unknown");
    expect(other.recheckAt).toBe(first.recheckAt);
    expect(hub.apiRequests().filter((entry) => entry.status === 429)).toHaveLength(1);
    expect(hub.apiRequests().filter((entry) => entry.path.includes("/revision/"))).toHaveLength(1);
  });

  it("tabs re-checking together send one request per endpoint", async () => {
    hub.setFault(CLEAN, "info", { kind: "rate-limit", retryAfter: 0, times: 2 });
    const { verdicts } = setup();
    const [a, b] = await Promise.all([verdicts.verdictFor(model(CLEAN), { tabId: 1 }), verdicts.verdictFor(model(CLEAN), { tabId: 2 })]);
    expect([a.level, b.level]).toEqual(["unknown", "unknown"]);
    hub.resetLog();
    const [againA, againB] = await Promise.all([verdicts.verdictFor(model(CLEAN), { tabId: 1 }), verdicts.verdictFor(model(CLEAN), { tabId: 2 })]);
    expect([againA.level, againB.level]).toEqual(["ok", "ok"]);
    expect(infoStatuses(CLEAN)).toEqual([200]);
    const paths = hub.apiRequests().map((entry) => `${entry.method} ${entry.path}`);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it(`a Hub that keeps refusing: after ${MAX_REFUSALS_IN_A_ROW} refusals in a row, unknown with "reload to try again" and no re-check time`, async () => {
    hub.setFault(CLEAN, "info", { kind: "rate-limit", retryAfter: 0 });
    const { verdicts } = setup();
    let verdict = await verdicts.verdictFor(model(CLEAN), { tabId: 1 });
    let checks = 1;
    // Follow recheckAt as the content script does, as long as the answers name one.
    while (verdict.recheckAt !== undefined && checks < 20) {
      verdict = await verdicts.verdictFor(model(CLEAN), { tabId: 1 });
      checks++;
    }
    expect(verdict.level).toBe("unknown");
    expect(verdict.recheckAt).toBeUndefined();
    const failed = verdict.findings.find((finding) => finding.id === "fetch-failed");
    expect(failed?.explanation).toContain("The Hub keeps refusing; reload to try again.");
    expect(infoStatuses(CLEAN)).toHaveLength(MAX_REFUSALS_IN_A_ROW);
    expect(checks).toBe(3);
  });

  it("a pull-request list refused twice leaves the verdict with a re-check time", async () => {
    const repo = "legacy-lab/old-bin-model";
    hub.setFault(repo, "discussions", { kind: "rate-limit", retryAfter: 0, times: 2 });
    const { verdicts } = setup();
    const first = await verdicts.verdictFor(model(repo), { tabId: 1, discussions: { total: 1, pullRequests: 1, open: 1 } as never });
    expect(first.recheckAt).toBeDefined();
    const again = await verdicts.verdictFor(model(repo), { tabId: 1 });
    expect(again.level).toBe("warn");
    expect(again.recheckAt).toBeUndefined();
  });

  it("listing cards refused by the limit name the block's end, cost no request per card, and are judged on the re-check", async () => {
    hub.setFault("*listing*", "all", { kind: "rate-limit", retryAfter: 0, times: 2 });
    const { annotations } = setup();
    const cards = [
      { type: "model" as const, id: "fresh-uploader-7/pickle-rce", listing: "/models" },
      { type: "model" as const, id: CLEAN, listing: "/models" },
    ];
    const first = await annotations.cards(cards);
    expect(first.map((card) => card.level)).toEqual(["unknown", "unknown"]);
    expect(first.every((card) => card.recheckAt !== undefined)).toBe(true);
    expect(hub.apiRequests().filter((entry) => entry.path.includes("/revision/"))).toHaveLength(0);
    const again = await annotations.cards(cards);
    expect(again.map((card) => card.level)).toEqual(["danger", "ok"]);
    expect(again.every((card) => card.recheckAt === undefined)).toBe(true);
  });

  it("cards paused under a low meter name the window's reset", async () => {
    hub.setRateLimit({ limit: 500, windowMs: 300_000, used: 420 });
    const { client, annotations } = setup();
    await client.gatherRepoFacts(model("google-bert/bert-base-uncased"));
    const [card] = await annotations.cards([{ type: "model", id: CLEAN }]);
    expect(card?.level).toBe("unknown");
    expect(card?.recheckAt).toBe(client.budget.snapshot().savingUntil);
  });

  it("file rows and pull requests the limit left unknown name the block's end", async () => {
    const repo = "legacy-lab/old-bin-model";
    hub.setFault(repo, "discussions", { kind: "rate-limit", retryAfter: 0, times: 2 });
    const { annotations } = setup();
    const prs = await annotations.prs(model(repo), [{ num: 3 }], {});
    expect(prs.recheckAt).toBeDefined();
    const again = await annotations.prs(model(repo), [{ num: 3 }], {});
    expect(again.recheckAt).toBeUndefined();
    expect(again.prs.find((pr) => pr.num === 3)?.level).toBe("warn");

    // A pickle's details are always asked for (paths-info): refused twice, then answered.
    const pickles = "fresh-uploader-7/pickle-rce";
    hub.setFault(pickles, "files", { kind: "rate-limit", retryAfter: 0, times: 2 });
    const service = setup().annotations;
    const files = await service.files(model(pickles), ["pytorch_model.bin"], {});
    expect(files.recheckAt).toBeDefined();
    const filesAgain = await service.files(model(pickles), ["pytorch_model.bin"], {});
    expect(filesAgain.recheckAt).toBeUndefined();
    expect(filesAgain.files.find((file) => file.path === "pytorch_model.bin")?.level).toBe("danger");
  });
});
