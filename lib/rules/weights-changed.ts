/**
 * weights-changed: weight files changed in the last 14 days, or a merged PR from someone other
 * than the owner changed weight files.
 * Examples: https://huggingface.co/{owner}/{name}/commits/main (a recent "Upload pytorch_model.bin"),
 * https://huggingface.co/{owner}/{name}/discussions/{n} (a merged community PR touching model.safetensors).
 *
 * Why: a trusted repo is only as trusted as its latest weights. A recent change means the scans and
 * the community's experience may describe an older file; an outsider's merged PR means the weights
 * are no longer only the owner's. Recency is measured from `facts.fetchedAt` so the verdict changes
 * only when the facts do. Conversion-bot PRs are left to conversion-pr.
 */
import type { RepoFinding } from "../findings";
import { lastChangeOf } from "../hub/file-details";
import { isPickleFormat, isTrainingStateFile, isWeightFile } from "../hub/file-kinds";
import type { PullRequest, RepoFacts, RepoFile } from "../hub/facts";
import { discussionUrl, fileUrl } from "../hub/links";
import { repoOwner } from "../repo-ref";
import { hasConversionTitle, isConversionBot } from "./conversion-pr";
import { MAX_EVIDENCE, dateWords, plural, scannedClean, summarize, withinDays } from "./shared";
import type { Rule } from "./types";

export const RECENT_CHANGE_DAYS = 14;
export const RECENT_PR_DAYS = 90;

export const weightsChangedRule: Rule = {
  id: "weights-changed",
  evaluate(facts) {
    // A file-list gap is reported by pickle-weights and pickle-imports; a PR-list gap by conversion-pr.
    if (!facts.files.ok) return [];
    // Trainer state (training_args.bin, optimizer.pt) is not what a download loads as the model.
    const weights = facts.files.value.files.filter((file) => isWeightFile(file.path) && !isTrainingStateFile(file.path));
    if (weights.length === 0) return [];
    const findings: RepoFinding[] = [];

    // A file known only to have changed no later than the repo's last commit has an exact date
    // only when that bound is old enough to rule a recent change out (file-details.ts).
    const changes = weights.map((file) => ({ file, change: lastChangeOf(file) }));
    const dated = changes.filter(({ change }) => change !== undefined && (change.exact || !withinDays(change.date, facts.fetchedAt, RECENT_CHANGE_DAYS)));
    if (dated.length === 0) {
      findings.push({
        id: "weights-changed",
        level: "unknown",
        title: "Could not tell when the weight files last changed",
        explanation: "The Hub's file list came without last-commit dates, so a recent change to the weights cannot be ruled out.",
        evidence: [{ label: "Files and versions", url: fileUrl(facts.repo, "") }],
        advice: ["Check the repo's commit history before relying on it."],
      });
    }

    const recent = dated.filter(({ change }) => change?.exact && withinDays(change.date, facts.fetchedAt, RECENT_CHANGE_DAYS)).map(({ file }) => file);
    if (recent.length > 0) {
      // A pickle changed recently and not yet vouched for is worth a warning; other changes are context.
      const riskyRecent = recent.filter((file) => isPickleFormat(file.path) && !scannedClean(facts, file));
      findings.push({
        id: "weights-changed",
        level: riskyRecent.length > 0 ? "warn" : "info",
        title: `${plural(recent.length, "weight file")} changed in the last ${RECENT_CHANGE_DAYS} days`,
        explanation: [
          recent
            .slice(0, 10)
            .map((file) => `${file.path} on ${dateWords(file.lastCommit?.date ?? "")} (“${file.lastCommit?.title ?? ""}”)`)
            .join("; ") + (recent.length > 10 ? ` and ${recent.length - 10} more.` : "."),
          riskyRecent.length > 0
            ? `${summarize(riskyRecent.map((file) => file.path))} ${riskyRecent.length === 1 ? "is a pickle" : "are pickles"} that no scan has cleared since the change.`
            : "What others say about this model may describe the previous files.",
        ].join(" "),
        evidence: recent.slice(0, MAX_EVIDENCE).map((file) => ({ label: file.path, url: fileUrl(facts.repo, file.path) })),
        advice: [
          "Pin the revision you reviewed (from_pretrained(..., revision=\"<commit sha>\")) rather than tracking main.",
          "Read the commit to see who changed the weights and why.",
        ],
      });
    }

    if (facts.pullRequests.ok) {
      for (const pr of facts.pullRequests.value) {
        const finding = outsiderPr(pr, facts, weights);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

function isOutsider(pr: PullRequest, facts: RepoFacts): boolean | undefined {
  if (pr.authorIsRepoMember !== undefined) return !pr.authorIsRepoMember;
  if (pr.author === undefined) return true;
  if (pr.author.toLowerCase() === repoOwner(facts.repo.id).toLowerCase()) return false;
  // An org's members are insiders, and membership is not known here: only a user-owned repo can be judged by name.
  return facts.author.ok && facts.author.value.kind === "user" ? true : undefined;
}

function outsiderPr(pr: PullRequest, facts: RepoFacts, weights: readonly RepoFile[]): RepoFinding | undefined {
  if (pr.status !== "merged") return undefined;
  if (isConversionBot(pr.author) || hasConversionTitle(pr.title)) return undefined;
  if (!withinDays(pr.mergedAt ?? pr.createdAt, facts.fetchedAt, RECENT_PR_DAYS)) return undefined;
  if (isOutsider(pr, facts) !== true) return undefined;

  let changedWeights: string[] = [];
  if (pr.changedFiles?.ok) {
    changedWeights = pr.changedFiles.value.filter((change) => isWeightFile(change.path)).map((change) => change.path);
  } else if (pr.mergeCommitId !== undefined) {
    // Without the PR's diff, a weight file whose last commit is the PR's merge commit was changed by it.
    changedWeights = weights.filter((file) => file.lastCommit?.id === pr.mergeCommitId).map((file) => file.path);
  }
  if (changedWeights.length === 0) return undefined;

  const who = pr.author ? `“${pr.author}”` : "a deleted account";
  return {
    id: "weights-changed",
    level: "warn",
    title: `PR #${pr.num} by ${pr.author ?? "a deleted account"} changed weight files`,
    explanation: `Pull request #${pr.num} (“${pr.title}”), opened by ${who} who is not the repo's owner, was merged and changed ${summarize(changedWeights)}. The weights are no longer only the owner's work.`,
    evidence: [
      { label: `PR #${pr.num}: ${pr.title}`, url: discussionUrl(facts.repo, pr.num) },
      ...changedWeights.slice(0, 10).map((path) => ({ label: path, url: fileUrl(facts.repo, path) })),
    ],
    advice: ["Read the PR and its discussion before trusting the changed files, or pin the revision before the merge."],
  };
}
