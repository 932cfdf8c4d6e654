import { describe, expect, it } from "vitest";
import { fetchFailedRule } from "../../../lib/rules/fetch-failed";
import { factOf } from "../../../lib/hub/gaps";
import { BALANCED, bertFacts, gap, missing } from "../../fixtures/facts/builders";

describe("fetch-failed", () => {
  it("no finding when the repo info was fetched", () => {
    expect(fetchFailedRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });

  it.each([
    ["unauthorized", 401, "private or needs sign-in"],
    ["gated", 403, "gated: access must be requested"],
    ["rate-limited", 429, "rate-limiting"],
    ["timeout", undefined, "did not answer in time"],
    ["malformed", 200, "not in the expected shape"],
  ] as const)("%s → unknown, with the reason", (kind, status, words) => {
    const facts = bertFacts({ info: missing(kind, `GET /api/models/google-bert/bert-base-uncased failed (${kind}).`, status) });
    const [finding] = fetchFailedRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("unknown");
    expect(finding?.title).toContain(words);
    expect(finding?.explanation).toContain(`failed (${kind})`);
    if (status !== undefined) expect(finding?.explanation).toContain(`HTTP ${status}`);
    expect(finding?.evidence).toEqual([{ label: "Repo page", url: "https://huggingface.co/google-bert/bert-base-uncased" }]);
  });

  it("folds in the other facts that failed the same way", () => {
    const facts = bertFacts({ info: missing("unauthorized"), files: missing("unauthorized"), author: missing("unauthorized"), pullRequests: factOf([]) });
    const [finding] = fetchFailedRule.evaluate(facts, BALANCED);
    expect(finding?.explanation).toContain("the file list, the author could not be checked either");
  });

  it("gives rate-limit advice with the wait", () => {
    const facts = bertFacts({ info: { ok: false, gap: { ...gap("rate-limited"), retryAfterSeconds: 120 } } });
    expect(fetchFailedRule.evaluate(facts, BALANCED)[0]?.advice[0]).toContain("120 s");
  });
});
