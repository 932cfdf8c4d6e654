import type { Level } from "./levels";

/** Repo finding ids, fixed by the contract. */
export const REPO_FINDING_IDS = [
  "pickle-weights",
  "pickle-imports",
  "scanner-flag",
  "scan-incomplete",
  "unverified-author",
  "young-account",
  "lookalike-author",
  "conversion-pr",
  "weights-changed",
  "remote-code",
  "space-docker",
  "space-oauth",
  "keras-lambda",
  "chat-template",
  "template-changed",
  "leaked-token",
  "fetch-failed",
] as const;
export type RepoFindingId = (typeof REPO_FINDING_IDS)[number];

/** Token review finding ids, fixed by the contract. */
export const TOKEN_FINDING_IDS = [
  "legacy-role",
  "write-access",
  "broad-scope",
  "pre-incident",
  "org-admin",
  "invalid-token",
] as const;
export type TokenFindingId = (typeof TOKEN_FINDING_IDS)[number];

/** A place on huggingface.co a person can open to see the fact for themselves. */
export interface Evidence {
  label: string;
  /** Absolute https URL on huggingface.co (or a scanner's report link given by the Hub). */
  url?: string;
}

/** One file a finding read, with what it found there line by line (remote-code: what a `.py` does and where). */
export interface FindingCodeFile {
  /** The file as a person finds it: its path, with the repo when it is another one. */
  label: string;
  /** Its blob page on huggingface.co. */
  url?: string;
  /** One line on the file as a whole: why it runs, or why it was not read. */
  note?: string;
  lines: { line: number; text: string; url?: string }[];
  /** Lines left out to keep the panel readable. */
  more?: number;
}

export interface Finding<Id extends string = RepoFindingId> {
  id: Id;
  level: Level;
  /** One line: what was found. */
  title: string;
  /** Plain language: what was found and why it matters. */
  explanation: string;
  evidence: Evidence[];
  /** Per file read, what it does and where (optional; evidence still lists the files). */
  code?: FindingCodeFile[];
  /** What to do about it. */
  advice: string[];
  /**
   * Danger that an allowlist must never hide (scanner verdicts, dangerous pickle imports).
   * The contract: such a repo stays `danger` even when allowlisted.
   */
  overridesAllowlist?: boolean;
  /** Set when an allowlist lowered this finding's level; the original level. */
  allowlistedFrom?: Level;
  /** `template-changed`: the lines a derived repo's chat template adds, beside the base's nearest ones (shown as text). */
  templateDiff?: TemplateDiff;
}

/** What a derived repo's chat template adds to its base model's (issue 26): untrusted text, rendered as text only. */
export interface TemplateDiff {
  /** The base model compared with; `url` is its page or template file on huggingface.co. */
  base: { id: string; url: string; label: string };
  /** Where the derived template is (a file, or the model info). */
  derivedLabel: string;
  lines: TemplateDiffLine[];
  /** Added lines not shown. */
  more: number;
}

export interface TemplateDiffLine {
  /** What the line adds, in words ("an instruction", "a link", "a branch on what a message says"). */
  what: string;
  /** Where in the template ("in the message loop"). */
  where: string;
  derived: string;
  /** The base's most similar line; absent when nothing in the base resembles it. */
  base?: string;
}

export type RepoFinding = Finding<RepoFindingId>;
export type TokenFinding = Finding<TokenFindingId>;
