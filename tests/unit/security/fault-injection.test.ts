import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHubClient } from "../../../lib/hub/client";
import { RULES } from "../../../lib/rules";
import { DEFAULT_RULE_SETTINGS } from "../../../lib/settings/types";
import { buildVerdict, evaluateRepo } from "../../../lib/verdict/verdict";
import type { Fault, FaultTarget } from "../../fake-hub/catalogue-types";
import { fetchViaFakeHub } from "../../fake-hub/node-fetch";
import { startFakeHub, type FakeHub } from "../../fake-hub/server";

/**
 * Fault injection on every endpoint the verdict needs: whatever fails, the verdict is never
 * `ok`, an `unknown` finding names what could not be checked, and failures cause no storm of
 * retries (requests are counted at the fake Hub).
 */
const FAULTS: [string, Fault][] = [
  ["500", { kind: "status", status: 500, message: "Internal Error" }],
  ["503", { kind: "status", status: 503 }],
  ["429 with Retry-After", { kind: "rate-limit", retryAfter: 30 }],
  ["malformed JSON", { kind: "malformed" }],
  ["timeout", { kind: "delay", ms: 1500 }],
];
const TARGETS = ["info", "files", "discussions", "author"] as const satisfies readonly FaultTarget[];
type Target = (typeof TARGETS)[number];

// A repo that is `ok` when every fact is there, so any gap must show.
const CLEAN = "sentinel-verified/tiny-safetensors";
// One with pickles and an open bot PR: every fact group matters to it.
const BUSY = "legacy-lab/old-bin-model";

describe("fault injection: never ok, always a reason, no request storm", () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(() => {
    hub.clearFaults();
    hub.resetLog();
  });

  async function judge(id: string) {
    const client = createHubClient({ fetch: fetchViaFakeHub(hub), timeoutMs: 500, ownScans: false });
    const facts = await client.gatherRepoFacts({ type: "model", id, revision: "main" });
    const findings = evaluateRepo(facts, RULES, { settings: DEFAULT_RULE_SETTINGS, now: Date.now() });
    return buildVerdict(findings, false);
  }

  /** The requests each fault target answers. */
  const ASKS: Record<Target, RegExp> = {
    info: /\/revision\//,
    files: /\/paths-info\/|\/tree\//,
    discussions: /\/discussions/,
    author: /^\/api\/(organizations|users)\//,
  };

  it("a repo page of the clean repo needs no file details: the repo-level scan status and last commit answer for its safetensors", async () => {
    hub.setFault(CLEAN, "files", { kind: "status", status: 500 });
    const verdict = await judge(CLEAN);
    expect(verdict.level).toBe("ok");
    expect(hub.apiRequests().some((entry) => ASKS.files.test(entry.path))).toBe(false);
  });

  for (const repo of [CLEAN, BUSY]) {
    for (const target of TARGETS) {
      // The clean repo's files need no details (the test above): the pickle repo's do.
      if (repo === CLEAN && target === "files") continue;
      for (const [name, fault] of FAULTS) {
        it(`${repo}: ${target} answers ${name}`, async () => {
          hub.setFault(repo, target, fault);
          const verdict = await judge(repo);
          // The fault was met: the verdict must show it.
          expect(hub.apiRequests().some((entry) => ASKS[target].test(entry.path))).toBe(true);
          expect(verdict.level).not.toBe("ok");
          const unknowns = verdict.findings.filter((finding) => finding.level === "unknown");
          expect(unknowns.length, JSON.stringify(verdict.findings.map((f) => [f.id, f.level]))).toBeGreaterThan(0);
          // The reason is said in words, not left blank.
          for (const finding of unknowns) expect(`${finding.title} ${finding.explanation}`).toMatch(/could not|rate-limit|not in the expected shape|did not answer|answered|cancel|not valid JSON/i);
          // A cold page costs at most 6 API requests when healthy; a failure must not add retries.
          expect(hub.apiRequests().length).toBeLessThanOrEqual(6);
        }, 10_000);
      }
    }
  }

  it("a fault on every endpoint at once gives one clear unknown, and the same few requests", async () => {
    hub.setFault(CLEAN, "all", { kind: "status", status: 500 });
    const verdict = await judge(CLEAN);
    expect(verdict.level).toBe("unknown");
    expect(verdict.findings.map((f) => f.id)).toContain("fetch-failed");
    expect(hub.apiRequests().length).toBeLessThanOrEqual(4);
  });
});
