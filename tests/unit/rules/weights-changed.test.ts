import { describe, expect, it } from "vitest";
import { weightsChangedRule } from "../../../lib/rules/weights-changed";
import type { PullRequest, RepoFile } from "../../../lib/hub/facts";
import {
  BALANCED,
  CONVERSION_TITLE,
  bertFacts,
  bertFiles,
  changes,
  cleanPickleSecurity,
  daysAgo,
  factOf,
  file,
  missing,
  modelFacts,
  pr,
  security,
  unverifiedOrg,
  user,
} from "../../fixtures/facts/builders";

const commit = (days: number, id = "c0ffee", title = "Upload pytorch_model.bin") => ({ date: daysAgo(days), id, title });

describe("weights-changed: recent changes", () => {
  it.each<[string, RepoFile[], string | undefined]>([
    ["old weights (bert-base-uncased's tree)", bertFiles(), undefined],
    ["safetensors changed 3 days ago", [file("model.safetensors", { lastCommit: commit(3), security: security("safe") })], "info"],
    ["pickle changed 3 days ago, scanned clean", [file("pytorch_model.bin", { lastCommit: commit(3), security: cleanPickleSecurity() })], "info"],
    ["pickle changed 3 days ago, scan queued", [file("pytorch_model.bin", { lastCommit: commit(3), security: security("queued") })], "warn"],
    ["pickle changed 20 days ago", [file("pytorch_model.bin", { lastCommit: commit(20), security: security("queued") })], undefined],
    ["only training_args.bin changed", [file("training_args.bin", { lastCommit: commit(1) }), file("model.safetensors", { lastCommit: commit(100) })], undefined],
    ["README changed yesterday", [file("README.md", { lastCommit: commit(1) }), file("model.safetensors", { lastCommit: commit(100) })], undefined],
  ])("%s → %s", (_name, files, level) => {
    const facts = modelFacts("someone/model", files);
    const findings = weightsChangedRule.evaluate(facts, BALANCED);
    expect(findings[0]?.level).toBe(level);
  });

  it("says it cannot tell when no weight file carries a date", () => {
    const facts = modelFacts("someone/model", [file("model.safetensors", { security: security("safe") })]);
    const findings = weightsChangedRule.evaluate(facts, BALANCED);
    expect(findings.map((finding) => [finding.level, finding.title])).toEqual([["unknown", "Could not tell when the weight files last changed"]]);
  });

  // Files judged from the repo-level answer carry only "changed no later than the repo's last commit" (file-details.ts).
  it.each<[string, RepoFile[], string | undefined]>([
    ["bounded by a commit 120 days ago", [file("model.safetensors", { changedNoLaterThan: daysAgo(120), security: security("safe") })], undefined],
    ["bounded by a commit 3 days ago: a change may be recent, and is not claimed", [file("model.safetensors", { changedNoLaterThan: daysAgo(3), security: security("safe") })], "unknown"],
    ["a bound beside an exact recent change", [file("model.safetensors", { changedNoLaterThan: daysAgo(120) }), file("pytorch_model.bin", { lastCommit: commit(3), security: security("queued") })], "warn"],
  ])("a file known only by its repo's last commit, %s → %s", (_name, files, level) => {
    const findings = weightsChangedRule.evaluate(modelFacts("someone/model", files), BALANCED);
    expect(findings[0]?.level).toBe(level);
    if (level === undefined) expect(findings).toEqual([]);
  });

  it("says when and how, with links to the files", () => {
    const facts = modelFacts("someone/model", [file("model.safetensors", { lastCommit: commit(3, "abc", "Upload model.safetensors"), security: security("safe") })]);
    const [finding] = weightsChangedRule.evaluate(facts, BALANCED);
    expect(finding?.explanation).toContain(`model.safetensors on ${daysAgo(3).slice(0, 10)} (“Upload model.safetensors”)`);
    expect(finding?.evidence).toEqual([{ label: "model.safetensors", url: "https://huggingface.co/someone/model/blob/main/model.safetensors" }]);
  });

  it("weight files without commit dates are unknown", () => {
    const [finding] = weightsChangedRule.evaluate(modelFacts("someone/model", [file("model.safetensors")]), BALANCED);
    expect(finding?.level).toBe("unknown");
  });

  it("leaves a file-list gap to pickle-weights and pickle-imports", () => {
    expect(weightsChangedRule.evaluate(bertFacts({ files: missing("network") }), BALANCED)).toEqual([]);
  });
});

describe("weights-changed: merged PRs from non-owners", () => {
  const weights = [file("model.safetensors", { lastCommit: commit(60, "merge123", "Merge PR #4"), security: security("safe") })];
  const merged = (extra: Partial<PullRequest>) =>
    pr(4, { status: "merged", title: "Update weights", author: "stranger", mergedAt: daysAgo(60), ...extra });

  it.each<[string, PullRequest, string | undefined]>([
    ["outsider's merged PR that changed weights", merged({ changedFiles: changes(["modified", "model.safetensors"]) }), "warn"],
    ["outsider's merged PR, matched by merge commit", merged({ mergeCommitId: "merge123" }), "warn"],
    ["outsider's merged PR that changed the README", merged({ changedFiles: changes(["modified", "README.md"]) }), undefined],
    ["a member's merged PR", merged({ authorIsRepoMember: true, changedFiles: changes(["modified", "model.safetensors"]) }), undefined],
    ["the owner's own PR", merged({ author: "someone", changedFiles: changes(["modified", "model.safetensors"]) }), undefined],
    ["an open PR", merged({ status: "open", changedFiles: changes(["modified", "model.safetensors"]) }), undefined],
    ["merged 200 days ago", merged({ mergedAt: daysAgo(200), changedFiles: changes(["modified", "model.safetensors"]) }), undefined],
    ["a conversion-bot PR (conversion-pr's business)", merged({ author: "SFconvertbot", title: CONVERSION_TITLE, changedFiles: changes(["added", "model.safetensors"]) }), undefined],
    ["a PR whose changes are unknown", merged({}), undefined],
  ])("%s → %s", (_name, pull, level) => {
    const facts = modelFacts("someone/model", weights, { pullRequests: factOf([pull]) });
    const findings = weightsChangedRule.evaluate(facts, BALANCED).filter((f) => f.title.startsWith("PR #"));
    expect(findings[0]?.level).toBe(level);
  });

  it("in an org repo, judges membership only from the Hub's flag", () => {
    const facts = modelFacts("some-org/model", weights, {
      author: factOf(unverifiedOrg("some-org")),
      pullRequests: factOf([merged({ changedFiles: changes(["modified", "model.safetensors"]) })]),
    });
    expect(weightsChangedRule.evaluate(facts, BALANCED)).toEqual([]);
    const flagged = modelFacts("some-org/model", weights, {
      author: factOf(unverifiedOrg("some-org")),
      pullRequests: factOf([merged({ authorIsRepoMember: false, changedFiles: changes(["modified", "model.safetensors"]) })]),
    });
    const [finding] = weightsChangedRule.evaluate(flagged, BALANCED);
    expect(finding?.level).toBe("warn");
    expect(finding?.evidence.map((e) => e.url)).toEqual([
      "https://huggingface.co/some-org/model/discussions/4",
      "https://huggingface.co/some-org/model/blob/main/model.safetensors",
    ]);
  });

  it("user repo: a PR author other than the user is an outsider", () => {
    const facts = modelFacts("someone/model", weights, {
      author: factOf(user("someone")),
      pullRequests: factOf([merged({ changedFiles: changes(["added", "model-v2.safetensors"]) })]),
    });
    expect(weightsChangedRule.evaluate(facts, BALANCED)[0]?.explanation).toContain("“stranger” who is not the repo's owner");
  });
});
