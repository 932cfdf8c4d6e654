import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { buildVerdict, evaluateRepo } from "../../../lib/verdict/verdict";
import { CATALOGUE } from "../../fake-hub/catalogue";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * Every repo of the fake Hub's catalogue, fetched through the real Hub client over HTTPS and
 * judged by the real rules, reaches the level and findings its fixture promises.
 */
describe("catalogue walk", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  it.each(CATALOGUE.map((repo) => [`${repo.type} ${repo.id}`, repo] as const))("%s", async (_name, repo) => {
    // A fresh client per repo: a rate-limited fixture must not block the others.
    const client = createHubClient({ fetch: fetchViaFakeHub(hub) });
    const facts = await client.gatherRepoFacts({ type: repo.type, id: repo.id, revision: "main" });
    const findings = evaluateRepo(facts, RULES, { settings: DEFAULT_RULE_SETTINGS, now: Date.now() });
    const verdict = buildVerdict(findings, false);
    expect({ level: verdict.level, findings: [...new Set(findings.map((f) => f.id))].sort() }).toEqual({
      level: repo.expect.level,
      findings: [...repo.expect.findings].sort(),
    });
  });
});
