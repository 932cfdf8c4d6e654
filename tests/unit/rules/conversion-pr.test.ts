import { describe, expect, it } from "vitest";
import { conversionPrRule } from "../../../lib/rules/conversion-pr";
import { findingsForPr } from "../../../lib/rules/locate";
import type { ChangedFile, PullRequest, RepoFile } from "../../../lib/hub/facts";
import type { Fact } from "../../../lib/hub/gaps";
import {
  BALANCED,
  CONVERSION_TITLE,
  bertFacts,
  changes,
  daysAgo,
  factOf,
  file,
  missing,
  modelFacts,
  pr,
  security,
} from "../../fixtures/facts/builders";

const binOnly: RepoFile[] = [file("config.json"), file("pytorch_model.bin", { security: security("safe") })];
const withSafetensors: RepoFile[] = [...binOnly, file("model.safetensors", { security: security("safe") })];
const genuine = changes(["added", "model.safetensors"]);
const sharded = changes(
  ["added", "model-00001-of-00002.safetensors"],
  ["added", "model-00002-of-00002.safetensors"],
  ["added", "model.safetensors.index.json"],
);

function botPr(status: PullRequest["status"], changedFiles: Fact<ChangedFile[]> | undefined, extra: Partial<PullRequest> = {}): PullRequest {
  return pr(7, { title: CONVERSION_TITLE, author: "SFconvertbot", status, ...(changedFiles ? { changedFiles } : {}), ...extra });
}

describe("conversion-pr", () => {
  it.each<[string, PullRequest, RepoFile[], string | undefined]>([
    ["open genuine PR, main has only .bin (transformers auto-loads it)", botPr("open", genuine), binOnly, "warn"],
    ["open genuine PR, main has safetensors", botPr("open", genuine), withSafetensors, "info"],
    ["open genuine sharded PR with index json", botPr("open", sharded), withSafetensors, "info"],
    ["bot name in another case", botPr("open", genuine, { author: "sfconvertBOT" }), withSafetensors, "info"],
    ["merged 30 days ago", botPr("merged", genuine, { mergedAt: daysAgo(30), createdAt: daysAgo(40) }), withSafetensors, "info"],
    ["merged 200 days ago", botPr("merged", genuine, { mergedAt: daysAgo(200), createdAt: daysAgo(210) }), withSafetensors, undefined],
    ["merged, no merge date, created 10 days ago", botPr("merged", genuine, { createdAt: daysAgo(10) }), withSafetensors, "info"],
    ["merged recently, not compared (main holds its files now)", botPr("merged", undefined, { mergedAt: daysAgo(5) }), withSafetensors, "info"],
    ["closed bot PR", botPr("closed", genuine), binOnly, undefined],
    ["bot PR that modifies pytorch_model.bin", botPr("open", changes(["added", "model.safetensors"], ["modified", "pytorch_model.bin"])), binOnly, "danger"],
    ["bot PR that adds a .py file", botPr("open", changes(["added", "model.safetensors"], ["added", "modeling_evil.py"])), binOnly, "danger"],
    ["bot PR that modifies config.json", botPr("merged", changes(["added", "model.safetensors"], ["modified", "config.json"]), { mergedAt: daysAgo(5) }), withSafetensors, "danger"],
    ["bot PR that replaces existing safetensors", botPr("open", changes(["modified", "model.safetensors"])), withSafetensors, "danger"],
    ["bot PR with no changes", botPr("open", factOf([])), binOnly, "danger"],
    ["bot's title from another account", pr(9, { title: CONVERSION_TITLE, author: "SFconvert-bot", changedFiles: genuine }), withSafetensors, "danger"],
    ["bot's title from a deleted account, merged long ago", pr(9, { title: CONVERSION_TITLE, author: undefined, status: "merged", createdAt: daysAgo(400) }), withSafetensors, "danger"],
    ["bot PR with an unreadable diff", botPr("open", missing("timeout")), binOnly, "unknown"],
    ["bot PR whose diff was not fetched", botPr("open", undefined), binOnly, "unknown"],
    ["an ordinary PR", pr(3), binOnly, undefined],
  ])("%s → %s", (_name, pull, files, level) => {
    const findings = conversionPrRule.evaluate(modelFacts("someone/model", files, { pullRequests: factOf([pull]) }), BALANCED);
    expect(findings[0]?.level).toBe(level);
    if (level) {
      expect(findings).toHaveLength(1);
      expect(findings[0]?.evidence[0]?.url).toBe(`https://huggingface.co/someone/model/discussions/${pull.num}`);
    }
  });

  it("explains the auto-load case", () => {
    const [finding] = conversionPrRule.evaluate(modelFacts("someone/model", binOnly, { pullRequests: factOf([botPr("open", genuine)]) }), BALANCED);
    expect(finding?.title).toContain("which transformers may load");
    expect(finding?.explanation).toContain("transformers then loads the safetensors files of an open bot PR");
  });

  it("names what a suspect bot PR changes", () => {
    const pull = botPr("open", changes(["added", "model.safetensors"], ["modified", "pytorch_model.bin"]));
    const [finding] = conversionPrRule.evaluate(modelFacts("someone/model", binOnly, { pullRequests: factOf([pull]) }), BALANCED);
    expect(finding?.explanation).toContain("modified pytorch_model.bin");
    expect(finding?.explanation).not.toContain("added model.safetensors");
  });

  it("gives one finding per PR, findable by PR number", () => {
    const facts = modelFacts("someone/model", binOnly, {
      pullRequests: factOf([botPr("open", genuine), pr(9, { title: CONVERSION_TITLE, author: "impostor" }), pr(3)]),
    });
    const findings = conversionPrRule.evaluate(facts, BALANCED);
    expect(findings.map((f) => f.level)).toEqual(["warn", "danger"]);
    expect(findingsForPr(findings, facts.repo, 9).map((f) => f.level)).toEqual(["danger"]);
    expect(findingsForPr(findings, facts.repo, 3)).toEqual([]);
  });

  it("a PR-list gap is unknown", () => {
    const [finding] = conversionPrRule.evaluate(bertFacts({ pullRequests: missing("rate-limited") }), BALANCED);
    expect(finding?.level).toBe("unknown");
  });

  it("no PRs, no finding", () => {
    expect(conversionPrRule.evaluate(bertFacts(), BALANCED)).toEqual([]);
  });
});
