import { describe, expect, it } from "vitest";
import type { RepoFacts } from "../../../lib/hub/facts";
import { factOf, gapOf, type Gap } from "../../../lib/hub/gaps";
import { gapsOf, recheckAt } from "../../../lib/hub/recheck";

const NOW = Date.parse("2026-12-07T10:00:00.000Z");
const RATE_LIMITED: Gap = { kind: "rate-limited", message: "The Hub's rate limit was reached; retry in 42 s.", status: 429, retryAfterSeconds: 42 };
const NETWORK: Gap = { kind: "network", message: "The Hub could not be reached." };

/** A repo whose main facts were all answered: every gap below comes from the field under test. */
function answered(extra: Partial<RepoFacts> = {}): RepoFacts {
  return {
    repo: { type: "model", id: "quant-lab/Llama-3.1-8B-Instruct-GGUF" },
    fetchedAt: NOW,
    info: factOf({ id: "quant-lab/Llama-3.1-8B-Instruct-GGUF", tags: [] }),
    files: factOf({ files: [], truncated: false }),
    security: factOf({}),
    pullRequests: factOf([]),
    author: factOf({ name: "quant-lab", kind: "user" }),
    ...extra,
  } as RepoFacts;
}

const budget = (blockedUntil: number) => ({ blockedUntil: () => blockedUntil });

describe("when a rate-limited answer is asked again", () => {
  it("a repo with every fact answered needs no re-check", () => {
    expect(recheckAt(gapsOf(answered()), budget(0), NOW)).toBeUndefined();
  });

  // Each reader that can be refused by the rate limit: the base model's template (an API request per
  // base), the Python scans (another repo's info for cross-repo auto_map), and the older readers.
  for (const field of ["baseTemplate", "pythonScans", "chatTemplates", "ownScans", "kerasScans", "author", "security"] as const) {
    it(`a rate-limited ${field} is asked again at the block's end`, () => {
      const facts = answered({ [field]: gapOf(RATE_LIMITED) });
      expect(gapsOf(facts)).toEqual([RATE_LIMITED]);
      expect(recheckAt(gapsOf(facts), budget(NOW + 42_000), NOW)).toBe(NOW + 42_000);
    });
  }

  it("a pull request's changed files refused by the limit count too", () => {
    const pr = { num: 7, title: "Adding `safetensors` variant of this model", changedFiles: gapOf(RATE_LIMITED) };
    const facts = answered({ pullRequests: factOf([pr]) as RepoFacts["pullRequests"] });
    expect(recheckAt(gapsOf(facts), budget(NOW + 42_000), NOW)).toBe(NOW + 42_000);
  });

  it("a gap that is not the rate limit's is no reason to ask again by itself", () => {
    const facts = answered({ baseTemplate: gapOf(NETWORK) });
    expect(gapsOf(facts)).toEqual([NETWORK]);
    expect(recheckAt(gapsOf(facts), budget(0), NOW)).toBeUndefined();
  });

  it("a block already over means now", () => {
    expect(recheckAt([RATE_LIMITED], budget(NOW - 1_000), NOW)).toBe(NOW);
  });
});
