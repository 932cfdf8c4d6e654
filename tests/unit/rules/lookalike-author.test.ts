import { describe, expect, it } from "vitest";
import { lookalikeAuthorRule } from "../../../lib/rules/lookalike-author";
import { findLookalike, oneEditAway, skeleton } from "../../../lib/rules/lookalike";
import { WELL_KNOWN_ORGS } from "../../../lib/rules/well-known-orgs";
import {
  BALANCED,
  cleanPickleSecurity,
  factOf,
  file,
  missing,
  modelFacts,
  security,
  unverifiedOrg,
  user,
  verifiedOrg,
} from "../../fixtures/facts/builders";

describe("lookalike skeleton", () => {
  it.each([
    ["meta-IIama", "metallama"],
    ["meta_llama", "metallama"],
    ["faceb00k", "facebook"],
    ["rnicrosoft", "mlcrosoft"],
    ["Qvven", "qwen"],
    ["Qwеn", "qwen"], // Cyrillic е
    ["ԁeepseek-ai", "deepseekal"], // Cyrillic ԁ
    ["ｇｏｏｇｌｅ", "google"], // full-width, folded by NFKC
    ["οpenai", "openal"], // Greek ο
  ])("%s → %s", (name, expected) => {
    expect(skeleton(name)).toBe(expected);
  });
});

describe("oneEditAway", () => {
  it.each([
    ["gooogle", "google", true], // inserted in the middle
    ["gogle", "google", true], // deleted
    ["goolge", "google", true], // swapped
    ["goagle", "google", true], // substituted
    ["googlee", "google", true], // doubled last letter
    ["googler", "google", false], // a different word
    ["google", "google", false],
    ["gogl", "google", false], // two edits
  ] as const)("%s vs %s → %s", (a, b, expected) => {
    expect(oneEditAway(a, b)).toBe(expected);
  });
});

describe("findLookalike", () => {
  it.each([
    ["meta-IIama", "meta-llama"],
    ["meta-llama-official", "meta-llama"],
    ["real-openai", "openai"],
    ["faceb00k", "facebook"],
    ["rnicrosoft", "microsoft"],
    ["micorsoft", "microsoft"],
    ["Qvven", "Qwen"],
    ["Qwеn", "Qwen"],
    ["nvidia-hf", "nvidia"],
    ["stabilityai-org", "stabilityai"],
    ["deepseek", "deepseek-ai"],
    ["mistral-ai", "mistralai"],
    ["google_bert", "google-bert"],
    ["sentence-transformer", "sentence-transformers"],
    ["HuggingFace-Official", "huggingface"],
    ["BAAl", "BAAI"],
  ])("%s imitates %s", (name, target) => {
    expect(findLookalike(name)?.imitates).toBe(target);
  });

  it.each([
    "microsoft", "Microsoft", "meta-llama", "google", "google-bert", "FacebookAI", "facebook", "Qwen", "qwen",
    "deepseek-ai", "mistralai", "mistral-community", "googler", "metallama-fan", "allen", "johndoe",
    "my-bert-experiments", "TheBloke", "bartowski", "openais", "llama-lover", "nvidia-fan-club",
  ])("%s is not a look-alike", (name) => {
    expect(findLookalike(name)).toBeUndefined();
  });

  it("never flags a name on the list as imitating another name on the list", () => {
    const flagged = WELL_KNOWN_ORGS.filter((name) => findLookalike(name) !== undefined);
    expect(flagged).toEqual([]);
  });

  it("holds a few hundred names", () => {
    expect(new Set(WELL_KNOWN_ORGS.map((n) => n.toLowerCase())).size).toBeGreaterThanOrEqual(200);
  });
});

describe("lookalike-author rule", () => {
  const pickles = [file("pytorch_model.bin", { security: security("queued") })];
  const safeOnly = [file("model.safetensors", { security: security("safe") }), file("config.json")];

  it.each([
    ["meta-IIama/Llama-3-8B", safeOnly, "warn"],
    ["meta-IIama/Llama-3-8B", pickles, "danger"],
    ["faceb00k/opt-350m", [file("pytorch_model.bin", { security: cleanPickleSecurity() })], "danger"],
  ] as const)("%s → %s", (id, files, level) => {
    const facts = modelFacts(id, [...files]);
    const [finding] = lookalikeAuthorRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe(level);
    const owner = id.split("/")[0] ?? "";
    expect(finding?.evidence[0]).toEqual({ label: `${owner} (this author)`, url: `https://huggingface.co/${owner}` });
  });

  it.each([
    ["microsoft/phi-2", factOf(verifiedOrg("microsoft"))],
    ["googler/bert-tiny", factOf(user("googler"))],
    // A verified org is who it says it is, whatever its name resembles.
    ["nvidia-hf/some-model", factOf(verifiedOrg("nvidia-hf"))],
  ] as const)("%s: no finding", (id, author) => {
    expect(lookalikeAuthorRule.evaluate(modelFacts(id, pickles, { author }), BALANCED)).toEqual([]);
  });

  it("still judges the name from the repo id when the author overview failed, and says so", () => {
    const facts = modelFacts("meta-IIama/Llama-3-8B", safeOnly, { author: missing("timeout") });
    const [finding] = lookalikeAuthorRule.evaluate(facts, BALANCED);
    expect(finding?.level).toBe("warn");
    expect(finding?.explanation).toContain("Whether the account is verified could not be checked.");
  });

  it("flags an unverified org with a look-alike name", () => {
    const facts = modelFacts("meta-llama-official/Llama-3-8B", safeOnly, { author: factOf(unverifiedOrg("meta-llama-official")) });
    expect(lookalikeAuthorRule.evaluate(facts, BALANCED)[0]?.explanation).toContain("added word");
  });
});
