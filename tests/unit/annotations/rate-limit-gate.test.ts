import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnnotationService } from "../../../lib/background/annotation-service";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/** The gate for optional work (issue 20): under a low meter, listing cards and row details wait; the badge's facts do not. */
describe("annotation service under the Hub's meter", () => {
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

  function setup() {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub), ownScans: false });
    const service = createAnnotationService({ client, rules: RULES, policy: () => Promise.resolve({ settings: DEFAULT_RULE_SETTINGS, isAllowlisted: () => false }) });
    return { client, service };
  }
  const model = (id: string) => ({ type: "model" as const, id, revision: "main" });

  it("with plenty left, cards are judged", async () => {
    hub.setRateLimit({ limit: 500, windowMs: 300_000 });
    const { client, service } = setup();
    await client.gatherRepoFacts(model("google-bert/bert-base-uncased"));
    expect(client.budget.allowsOptional()).toBe(true);
    const [card] = await service.cards([{ type: "model", id: "fresh-uploader-7/pickle-rce" }]);
    expect(card?.level).toBe("danger");
  });

  it("under a fifth of the window left, cards are paused as unknown, saying why and until when, and cost no call", async () => {
    hub.setRateLimit({ limit: 500, windowMs: 300_000, used: 420 });
    const { client, service } = setup();
    await client.gatherRepoFacts(model("google-bert/bert-base-uncased"));
    expect(client.budget.allowsOptional()).toBe(false);
    const before = hub.apiRequests().length;
    const cards = await service.cards([
      { type: "model", id: "fresh-uploader-7/pickle-rce" },
      { type: "model", id: "sentinel-verified/tiny-safetensors" },
    ]);
    expect(cards.map((card) => card.level)).toEqual(["unknown", "unknown"]);
    expect(cards[0]?.findings[0]).toMatchObject({ id: "fetch-failed", title: expect.stringMatching(/shared rate limit/) });
    expect(cards[0]?.findings[0]?.explanation).toMatch(/\d+ of 500 left/);
    expect(hub.apiRequests().length).toBe(before);
  });

  it("file rows keep their verdicts from the badge's facts; who changed a file is not asked", async () => {
    hub.setRateLimit({ limit: 500, windowMs: 300_000, used: 420 });
    const { service } = setup();
    const { files } = await service.files(model("fresh-uploader-7/pickle-rce"), ["pytorch_model.bin", "README.md"], {});
    const bin = files.find((file) => file.path === "pytorch_model.bin");
    expect(bin?.level).toBe("danger");
    expect(bin?.lastChange).toBeDefined();
    expect(bin?.gap).toMatch(/not asked/);
    expect(hub.apiRequests().filter((entry) => entry.path.includes("/commits/"))).toHaveLength(0);
  });
});
