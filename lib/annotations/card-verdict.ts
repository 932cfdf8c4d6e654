/**
 * The cheap verdict of a repo card on a listing page (/models, /datasets, /spaces, profiles,
 * collections, search). Budget: one repo-info request per card (`?securityStatus=true` carries the
 * file names and the repo's scan summary) plus one overview per distinct author, both cached.
 *
 * A documented subset of the rules runs on what those two answers hold. Files get no per-file scan
 * detail: a file is taken as scanned clean only when the repo's security status says every scan is
 * done and does not list it among the files with issues; a listed file carries the listed level.
 * Not checked on cards (CARD_NOT_CHECKED): pull requests, per-file pickle imports and recent weight
 * changes. Those need a file listing and the discussions, which would cost several requests a card;
 * the repo page checks them, and every card's panel says so.
 */
import type { RepoFinding, RepoFindingId } from "../findings";
import type { AuthorInfo, RepoFacts, RepoFile, RepoInfo, RepoSecurityStatus } from "../hub/facts";
import { factOf, gapOf, type Fact } from "../hub/gaps";
import type { RepoRef } from "../repo-ref";
import type { Rule, RuleContext } from "../rules/types";
import { evaluateRepo } from "../verdict/verdict";

/** Rules that need only repo info, its security summary and the author. */
export const CARD_RULE_IDS: readonly RepoFindingId[] = [
  "pickle-weights",
  "scanner-flag",
  "scan-incomplete",
  "unverified-author",
  "young-account",
  "lookalike-author",
  "remote-code",
  "space-docker",
  "space-oauth",
  "fetch-failed",
];

export function cardRules(rules: readonly Rule[]): Rule[] {
  return rules.filter((rule) => CARD_RULE_IDS.includes(rule.id));
}

/** Files as the card knows them: names from `siblings`, scan state from the repo's security summary. */
export function cardFiles(info: RepoInfo, security: RepoSecurityStatus | undefined): RepoFile[] {
  const issues = new Map((security?.filesWithIssues ?? []).map((issue) => [issue.path, issue.level]));
  return (info.siblingPaths ?? []).map((path) => {
    const level = issues.get(path);
    if (level !== undefined) return { path, security: { status: level, scans: {} } };
    if (security?.scansDone) return { path, security: { status: "safe", scans: { pickleImportScan: { status: "safe" } } } };
    return { path };
  });
}

export function cardFacts(
  repo: RepoRef,
  info: Fact<{ info: RepoInfo; security?: RepoSecurityStatus }>,
  author: Fact<AuthorInfo>,
  fetchedAt: number,
): RepoFacts {
  if (!info.ok) {
    return { repo, fetchedAt, info: gapOf(info.gap), files: gapOf(info.gap), security: gapOf(info.gap), pullRequests: gapOf(info.gap), author };
  }
  const { info: repoInfo, security } = info.value;
  const files: RepoFacts["files"] = repoInfo.siblingPaths
    ? factOf({ files: cardFiles(repoInfo, security), complete: true, readCount: repoInfo.siblingPaths.length })
    : gapOf({ kind: "malformed", message: "The Hub's repo info listed no files." });
  return {
    repo,
    fetchedAt,
    info: factOf(repoInfo),
    files,
    security: security ? factOf(security) : gapOf({ kind: "malformed", message: "The Hub's repo info carried no security status." }),
    // Never read: conversion-pr and weights-changed are not card rules.
    pullRequests: gapOf({ kind: "malformed", message: "Pull requests are not checked on listing cards." }),
    author,
  };
}

export function cardFindings(facts: RepoFacts, rules: readonly Rule[], context: RuleContext): RepoFinding[] {
  return evaluateRepo(facts, cardRules(rules), context);
}
