import { describe, expect, it } from "vitest";
import { youngAccountRule } from "../../../lib/rules/young-account";
import {
  BALANCED,
  bertFacts,
  daysAgo,
  factOf,
  file,
  missing,
  modelFacts,
  security,
  unverifiedOrg,
  user,
} from "../../fixtures/facts/builders";

const pickle = file("pytorch_model.bin", { security: security("safe") });
const safetensors = file("model.safetensors", { security: security("safe") });

describe("young-account", () => {
  it.each([
    ["3 days old, pickles", daysAgo(3), [pickle], "warn", "3 days old"],
    ["3 days old, safetensors only", daysAgo(3), [safetensors], "info", "3 days old"],
    ["created today", daysAgo(0.2), [pickle], "warn", "less than a day old"],
    ["exactly 30 days", daysAgo(30), [pickle], "warn", "30 days old"],
    ["31 days old", daysAgo(31), [pickle], undefined, undefined],
    ["five years old", "2021-04-12T08:00:00.000Z", [pickle], undefined, undefined],
  ] as const)("%s → %s", (_name, createdAt, files, level, words) => {
    const facts = modelFacts("newbie/model", [...files], { author: factOf(user("newbie", createdAt)) });
    const [finding] = youngAccountRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe(level);
    if (words) expect(finding?.title).toContain(words);
  });

  it("measures age from fetchedAt, not the clock", () => {
    const facts = modelFacts("newbie/model", [pickle], { author: factOf(user("newbie", daysAgo(3))) });
    const muchLater = { ...BALANCED, now: facts.fetchedAt + 365 * 24 * 3600 * 1000 };
    expect(youngAccountRule.evaluate(facts, muchLater)[0]?.level).toBe("warn");
  });

  it("a user without a creation date is unknown", () => {
    const facts = modelFacts("newbie/model", [pickle], { author: factOf(user("newbie", null)) });
    expect(youngAccountRule.evaluate(facts, BALANCED)[0]?.level).toBe("unknown");
  });

  it("organizations are not judged (no creation date in their overview)", () => {
    expect(youngAccountRule.evaluate(modelFacts("org/model", [pickle], { author: factOf(unverifiedOrg("org")) }), BALANCED)).toEqual([]);
    expect(youngAccountRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });

  it("leaves an author gap to unverified-author", () => {
    expect(youngAccountRule.evaluate(bertFacts({ author: missing("timeout") }), BALANCED)).toEqual([]);
  });
});
