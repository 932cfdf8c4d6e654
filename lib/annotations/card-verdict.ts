/**
 * The quick verdict of a repo card on a listing page (/models, /datasets, /spaces, profiles,
 * collections, search), from what is known cheaply:
 *
 * - the repo: from the page's listing call (lib/hub/listing.ts: file names, tags, auto_map, Space
 *   SDK and OAuth scopes, gated, private), or from its own repo info when the listing did not
 *   cover it (that one also carries the repo's scan summary);
 * - the scan summary (`securityRepoStatus`, not expandable in a listing) only where it decides the
 *   level: pickle weights with no safetensors copy, which loading would unpickle (`needsFullCheck`);
 * - the author: the day-cached overview when there is one (a repo page seen today), else what the
 *   page's props say (`authorData.type`): a user account is known to be unverified; an
 *   organization's verified mark and a user's account age are then left unchecked. They are not
 *   worth a request per author: next to pickles nothing vouches for, the card is already `warn`
 *   (unverified-author, pickle-weights) or `unknown` (scan-incomplete) without them, and
 *   elsewhere they only tell `ok` from `info`.
 *
 * Each card says exactly what was left unchecked (`notChecked`), beside what cards never check
 * (CARD_NOT_CHECKED: pull requests, per-file pickle imports, recent weight changes), which need
 * several requests a card and are the repo page's job.
 */
import type { RepoFindingId } from "../findings";
import type { AuthorInfo, RepoFacts, RepoFile, RepoInfo, RepoSecurityStatus } from "../hub/facts";
import { isPickleFormat, isSafetensors, isTrainingStateFile } from "../hub/file-kinds";
import { factOf, gapOf, type Fact } from "../hub/gaps";
import type { RepoRef } from "../repo-ref";
import type { Rule, RuleContext } from "../rules/types";
import { evaluateRepo } from "../verdict/verdict";
import type { RepoFinding } from "../findings";

/** Rules every card runs: they need only the repo's info and file names (lookalike: the author's name). */
const BASE_RULE_IDS: readonly RepoFindingId[] = ["pickle-weights", "remote-code", "space-docker", "space-oauth", "lookalike-author", "fetch-failed"];
/** Rules that need the repo's scan summary. */
const SCAN_RULE_IDS: readonly RepoFindingId[] = ["scanner-flag", "scan-incomplete"];

export const NOT_CHECKED_SCANS = "the Hub's scanner verdicts (cards read them only for pickle weights without a safetensors copy)";
export const NOT_CHECKED_ORG_VERIFIED = "whether the organization is verified";
export const NOT_CHECKED_ACCOUNT_AGE = "the account's age";
export const NOT_CHECKED_AUTHOR = "who the author is (organization or user, verified, account age)";

/** What is known about a card's author. */
export type CardAuthor =
  /** The overview, from the day cache. */
  | { source: "overview"; fact: Fact<AuthorInfo> }
  /** Only the page's props: `kind` when they name it. */
  | { source: "page"; name: string; kind?: "org" | "user" };

export interface CardInputs {
  repo: RepoRef;
  /** Repo info from the listing call (no `security`) or from the repo's own info request. */
  info: Fact<{ info: RepoInfo; security?: RepoSecurityStatus }>;
  author: CardAuthor;
  fetchedAt: number;
}

/**
 * Pickle weights that loading would unpickle because no safetensors copy sits beside them (as
 * pickle-weights judges it: the copy makes the pickles `info`, their absence `warn` unless a scan
 * vouches): the pattern of the malicious uploads, so such a card gets the repo's scan summary
 * before its mark is final.
 */
export function needsFullCheck(info: RepoInfo): boolean {
  const paths = info.siblingPaths ?? [];
  const pickles = paths.filter((path) => isPickleFormat(path) && !isTrainingStateFile(path));
  return pickles.length > 0 && !paths.some(isSafetensors);
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

const NOT_ON_CARDS = { kind: "malformed", message: "Not checked on listing cards." } as const;

function authorFact(author: CardAuthor): Fact<AuthorInfo> {
  if (author.source === "overview") return author.fact;
  if (author.kind === "user") return factOf({ kind: "user", name: author.name });
  return gapOf({ ...NOT_ON_CARDS, message: `Who ${author.name} is was not checked on this card.` });
}

/** The facts, the rules they can feed and what the card leaves unchecked. */
export function cardFacts(inputs: CardInputs, rules: readonly Rule[]): { facts: RepoFacts; rules: Rule[]; notChecked: string[] } {
  const { repo, info, author, fetchedAt } = inputs;
  const ids = new Set<RepoFindingId>(BASE_RULE_IDS);
  const notChecked: string[] = [];
  const authorKnown = authorFact(author);
  if (!info.ok) {
    const gap = gapOf<never>(info.gap);
    const facts: RepoFacts = { repo, fetchedAt, info: gap, files: gap, security: gap, pullRequests: gap, author: authorKnown };
    return { facts, rules: rules.filter((rule) => ids.has(rule.id)), notChecked };
  }
  const { info: repoInfo, security } = info.value;
  if (security) for (const id of SCAN_RULE_IDS) ids.add(id);
  else notChecked.push(NOT_CHECKED_SCANS);
  if (author.source === "overview") {
    ids.add("unverified-author");
    ids.add("young-account");
  } else if (author.kind === "user") {
    // A user account is never verified: said from the page's props alone.
    ids.add("unverified-author");
    notChecked.push(NOT_CHECKED_ACCOUNT_AGE);
  } else notChecked.push(author.kind === "org" ? NOT_CHECKED_ORG_VERIFIED : NOT_CHECKED_AUTHOR);
  const files: RepoFacts["files"] = repoInfo.siblingPaths
    ? factOf({ files: cardFiles(repoInfo, security), complete: true, readCount: repoInfo.siblingPaths.length })
    : gapOf({ kind: "malformed", message: "The Hub listed no files for this repo." });
  const facts: RepoFacts = {
    repo,
    fetchedAt,
    info: factOf(repoInfo),
    files,
    // Read only by the scan rules, which run only when the summary is known.
    security: security ? factOf(security) : gapOf(NOT_ON_CARDS),
    // Never read: conversion-pr and weights-changed are not card rules.
    pullRequests: gapOf({ ...NOT_ON_CARDS, message: "Pull requests are not checked on listing cards." }),
    author: authorKnown,
  };
  return { facts, rules: rules.filter((rule) => ids.has(rule.id)), notChecked };
}

export function cardFindings(inputs: CardInputs, rules: readonly Rule[], context: RuleContext): { findings: RepoFinding[]; notChecked: string[] } {
  const { facts, rules: used, notChecked } = cardFacts(inputs, rules);
  return { findings: evaluateRepo(facts, used, context), notChecked };
}
