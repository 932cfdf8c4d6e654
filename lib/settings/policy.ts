import type { RepoFinding } from "../findings";
import { authorUrl } from "../hub/links";
import { repoOwner, type RepoRef } from "../repo-ref";
import { allowlistKey, matchingEntries } from "./allowlist";
import type { ManagedPolicy } from "./managed";
import type { UserSettings } from "./schema";
import { stricterGuard, type AllowlistEntry, type DownloadGuardMode, type RuleSettings, type Strictness } from "./types";

/**
 * The effective policy: the user's settings with the organization's policy on top. The
 * organization can add to the allowlist, raise the strictness, block authors and hide the token
 * review; it cannot be loosened by the user. Plain data, so it can travel in a message.
 */
export interface ResolvedAllowlistEntry extends AllowlistEntry {
  source: "user" | "managed";
}

export interface EffectivePolicy {
  /** What the rules read: the stricter of the user's choice and the organization's minimum. */
  settings: RuleSettings;
  strictness: { chosen: Strictness; minimum: Strictness };
  /** Managed entries first (they are read-only), then the user's. */
  allowlist: ResolvedAllowlistEntry[];
  blockedAuthors: string[];
  listingAnnotations: boolean;
  cacheMaxMinutes: number;
  /** The download guard applied (`mode`: the stricter of the user's choice and the organization's minimum). */
  downloadGuard: { mode: DownloadGuardMode; chosen: DownloadGuardMode; minimum: DownloadGuardMode };
  /** The popup hides its token field when true (organization policy `disableTokenReview`). */
  tokenReviewDisabled: boolean;
  /** Problems met while reading settings or policy, for the options page. */
  notes: string[];
}

const STRICTNESS_RANK: Record<Strictness, number> = { balanced: 0, strict: 1 };

export function stricter(a: Strictness, b: Strictness): Strictness {
  return STRICTNESS_RANK[a] >= STRICTNESS_RANK[b] ? a : b;
}

export function mergePolicy(user: UserSettings, managed: ManagedPolicy, notes: readonly string[] = []): EffectivePolicy {
  const managedEntries: ResolvedAllowlistEntry[] = [];
  const seen = new Set<string>();
  for (const entry of [...managed.trustedOrganizations.map((owner) => ({ value: owner, note: "Trusted organization" })), ...managed.allowlist]) {
    const key = allowlistKey(entry.value);
    if (seen.has(key)) continue;
    seen.add(key);
    managedEntries.push({ ...entry, source: "managed" });
  }
  return {
    settings: { strictness: stricter(user.strictness, managed.minimumStrictness), disabledRules: [...user.disabledRules] },
    strictness: { chosen: user.strictness, minimum: managed.minimumStrictness },
    // A user entry that repeats a managed one stays: it is the user's, and outlives a policy change.
    allowlist: [...managedEntries, ...user.allowlist.map((entry) => ({ ...entry, source: "user" as const }))],
    blockedAuthors: [...managed.blockedAuthors],
    listingAnnotations: user.listingAnnotations,
    cacheMaxMinutes: user.cacheMaxMinutes,
    downloadGuard: { mode: stricterGuard(user.downloadGuard, managed.downloadGuard), chosen: user.downloadGuard, minimum: managed.downloadGuard },
    tokenReviewDisabled: managed.disableTokenReview,
    notes: [...notes],
  };
}

export function isBlockedAuthor(policy: Pick<EffectivePolicy, "blockedAuthors">, repo: Pick<RepoRef, "id">): boolean {
  const owner = repoOwner(repo.id).toLowerCase();
  return policy.blockedAuthors.some((name) => name.toLowerCase() === owner);
}

/**
 * A blocked author's repos are never allowlisted: the organization's block outranks any
 * allowlist, the user's or its own, so such a repo shows its plain danger rather than an
 * "allowlisted" mark that would read as approval.
 */
export function isAllowlisted(policy: Pick<EffectivePolicy, "allowlist" | "blockedAuthors">, repo: Pick<RepoRef, "id">, today: string): boolean {
  if (isBlockedAuthor(policy, repo)) return false;
  return matchingEntries(policy.allowlist, repo, today).length > 0;
}

/**
 * The finding for a blocked author. The contract's finding ids are fixed, so it uses
 * `unverified-author`, the id about whether an author can be trusted, at `danger`, and says in
 * its title and text that the judgement is the organization's, not something found in the repo.
 * It is added outside the rules, so switching the unverified-author rule off does not hide it.
 */
export function blockedAuthorFindings(policy: Pick<EffectivePolicy, "blockedAuthors">, repo: Pick<RepoRef, "id">): RepoFinding[] {
  if (!isBlockedAuthor(policy, repo)) return [];
  const owner = repoOwner(repo.id);
  return [
    {
      id: "unverified-author",
      level: "danger",
      title: `${owner} is blocked by your organization`,
      explanation: `Your organization's Hub Sentinel policy lists ${owner} as a blocked author, so everything ${owner} publishes is marked Danger, whatever any allowlist says. This is your organization's decision, not something found in this repo's files.`,
      evidence: [{ label: `${owner}'s profile`, url: authorUrl(owner) }],
      advice: ["Do not download or run anything from this repo.", "If you need it, ask the administrator who manages your browser."],
      overridesAllowlist: true,
    },
  ];
}

/** The background refuses token reviews when the organization turned them off, whatever the popup shows. */
export function assertTokenReviewAllowed(policy: Pick<EffectivePolicy, "tokenReviewDisabled">): void {
  if (policy.tokenReviewDisabled) throw new Error("Your organization has turned off token review in Hub Sentinel.");
}
