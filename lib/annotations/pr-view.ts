/**
 * What each pull request row says (contract: `[data-hub-sentinel="pr"]` "beside each pull request
 * in a discussions list, and on a PR page"). Examples: https://huggingface.co/{owner}/{name}/discussions
 * (the list), https://huggingface.co/{owner}/{name}/discussions/3 (a PR page).
 *
 * The extension checks pull requests for two things: whether a conversion PR is what it claims
 * (conversion-pr: who opened it, what it changes) and whether a merged PR changed weight files
 * (weights-changed). A PR with neither is `info` with words saying what was and was not checked:
 * its diff was not reviewed, so it is never `ok`. A PR the Hub's list did not include (closed, or
 * older than the window the extension reads) is `info` for the same reason, said plainly.
 */
import type { RepoFinding } from "../findings";
import type { PullRequest, RepoFacts } from "../hub/facts";
import { findingsForPr } from "../rules/locate";
import { hasConversionTitle, isConversionBot } from "../rules/conversion-pr";
import { levelOf, sortBySeverity } from "../verdict/verdict";
import type { PrAnnotationView, PrCandidate } from "./types";

export function prAnnotations(facts: RepoFacts, findings: readonly RepoFinding[], candidates: readonly PrCandidate[]): PrAnnotationView[] {
  const views: PrAnnotationView[] = [];
  const seen = new Set<number>();
  for (const candidate of candidates) {
    if (seen.has(candidate.num)) continue;
    seen.add(candidate.num);
    const view = prView(facts, findings, candidate);
    if (view) views.push(view);
  }
  return views;
}

function prView(facts: RepoFacts, findings: readonly RepoFinding[], candidate: PrCandidate): PrAnnotationView | undefined {
  const { num } = candidate;
  const own = sortBySeverity(findingsForPr(findings, facts.repo, num));
  if (!facts.pullRequests.ok) {
    // Without the PR list nothing is known, not even whether this row is a PR: annotate only rows the page calls PRs.
    if (candidate.isPullRequest !== true) return undefined;
    const gaps = findings.filter((finding) => finding.id === "conversion-pr" && finding.level === "unknown");
    return { num, level: "unknown", findings: [...own, ...gaps], summary: "The Hub's list of pull requests could not be read, so this PR was not checked." };
  }
  const pr = facts.pullRequests.value.find((candidatePr) => candidatePr.num === num);
  if (!pr) {
    if (own.length > 0) return { num, level: levelOf(own), findings: own, summary: "See the findings." };
    if (candidate.isPullRequest !== true) return undefined;
    return {
      num,
      level: "info",
      findings: [],
      summary: "Closed, or older than the pull requests Hub Sentinel reads (open ones and those merged in the last 90 days): not checked.",
    };
  }
  const level = own.length > 0 ? levelOf(own) : "info";
  return { num, level: level === "ok" ? "info" : level, findings: own, summary: summaryOf(pr, own) };
}

function summaryOf(pr: PullRequest, own: readonly RepoFinding[]): string {
  const conversionLike = isConversionBot(pr.author) || hasConversionTitle(pr.title);
  const changes = pr.changedFiles?.ok
    ? pr.changedFiles.value.length === 0
      ? "It changes no files."
      : `It ${pr.changedFiles.value
          .slice(0, 6)
          .map((change) => `${change.change === "added" ? "adds" : change.change === "removed" ? "removes" : "modifies"} ${change.path}`)
          .join(", ")}${pr.changedFiles.value.length > 6 ? ` and ${pr.changedFiles.value.length - 6} more` : ""}.`
    : pr.changedFiles
      ? "What it changes could not be read."
      : "";
  if (conversionLike) {
    const genuine = own.every((finding) => finding.level !== "danger");
    const who = pr.author ? `opened by ${pr.author}` : "opened by a deleted account";
    return [`A Safetensors-conversion pull request, ${who}.`, changes, genuine ? "It looks like what it claims to be." : "It is NOT what it claims to be."]
      .filter(Boolean)
      .join(" ");
  }
  return [
    `A ${pr.status} pull request${pr.author ? ` by ${pr.author}` : ""}.`,
    own.length > 0 ? "" : "Hub Sentinel checks pull requests for imitated conversion bots and merged weight changes and found neither; its diff was not reviewed.",
  ]
    .filter(Boolean)
    .join(" ");
}
