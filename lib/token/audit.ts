/**
 * Review of what a token can do, from its whoami-v2 answer. Pure: `now` is passed in.
 * Findings and their meaning: shared/reference/contract.md (token findings) and risk-signals.md ("Tokens").
 */
import { TOKEN_FINDING_IDS, type Evidence, type TokenFinding, type TokenFindingId } from "../findings";
import { maxLevel, type Level } from "../levels";
import {
  groupScopes,
  scopedEntityCount,
  type DescribedScope,
  type GroupedScopes,
  type ScopeGroup,
} from "./permissions";
import { TOKENS_SETTINGS_URL, HUB_ORIGIN } from "./replacement";
import type { WhoAmI } from "./whoami";

/** The Spaces secrets incident was disclosed on 2024-05-31; tokens from before June 2024 predate the advice to rotate. */
export const INCIDENT_ADVICE_DATE = Date.UTC(2024, 5, 1);
/** More scoped entities than this is "many". */
export const MANY_SCOPES = 5;

/** Classic roles: one token for the whole account (and every organization it belongs to). */
export const LEGACY_ROLES: ReadonlySet<string> = new Set(["read", "write", "god"]);
/** Permissions that change repos or organizations, where reading is usually all a token needs. */
export const WRITE_ACCESS_PERMISSIONS: ReadonlySet<string> = new Set([
  "repo.write",
  "org.write",
  // Not in the brief's list but strictly stronger than org.write: who is in the org, and its machine accounts.
  "org.members.write",
  "org.serviceAccounts.write",
]);
/** Findings that make a token "broad" (the report's `data-broad`). */
export const BROAD_FINDING_IDS: ReadonlySet<TokenFindingId> = new Set<TokenFindingId>([
  "legacy-role",
  "write-access",
  "broad-scope",
]);

export interface TokenReviewOrg {
  name: string;
  roleInOrg?: string;
}

export interface TokenReview {
  /** Account name (the Hub's `name`). */
  account: string;
  accountFullname?: string;
  /** "user", or "org" for an organization API token. */
  accountType?: string;
  /** The token's display name on the Hub. */
  tokenName?: string;
  /** The Hub's role string as given: "read", "write", "god", "fineGrained", … */
  role?: string;
  /** e.g. "access_token", "oauth". */
  authType?: string;
  createdAt?: string;
  expiresAt?: string;
  scopes: GroupedScopes;
  orgs: TokenReviewOrg[];
  findings: TokenFinding[];
  /** Any of legacy-role, write-access, broad-scope applies. */
  broad: boolean;
  /** Highest level among findings; `unknown` when the Hub did not say enough; `ok` only when all was checked. */
  level: Level;
  /** Facts that could not be had (e.g. a fine-grained token without its permission list). */
  gaps: string[];
  /** When the review was made (ISO), from `now`. */
  reviewedAt: string;
}

function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function day(value: number): string {
  return new Date(value).toISOString().slice(0, 10);
}

const TOKENS_EVIDENCE: Evidence = { label: "Your access tokens", url: TOKENS_SETTINGS_URL };

function orgUrl(name: string): string {
  return `${HUB_ORIGIN}/${encodeURIComponent(name)}`;
}

function allScopes(scopes: GroupedScopes): DescribedScope[] {
  return [...scopes.user, ...scopes.org, ...scopes.repo, ...scopes.other];
}

function scopeWhere(scope: DescribedScope): string {
  return scope.label;
}

function legacyRoleFinding(role: string): TokenFinding {
  const level: Level = role === "god" ? "danger" : role === "write" ? "warn" : "info";
  const reach =
    role === "read"
      ? "read every repo your account can read, including private repos of your organizations"
      : "read and write every repo your account can, in your namespace and in every organization you belong to, and change their settings";
  return {
    id: "legacy-role",
    level,
    title: `Classic “${role}” token: it works for your whole account`,
    explanation: `This is a classic token with the “${role}” role. It is not limited to some repos or some actions: whoever holds it can ${reach}. A fine-grained token can be limited to what one script or machine needs.`,
    evidence: [{ label: `Token role: ${role}`, url: TOKENS_SETTINGS_URL }],
    advice: [
      "Replace it with a fine-grained token that has only the permissions its use needs (links below).",
      "Then invalidate this token in your access token settings.",
    ],
  };
}

function writeAccessFinding(role: string | undefined, writeScopes: DescribedScope[]): TokenFinding | undefined {
  const legacyWrite = role === "write" || role === "god";
  if (!legacyWrite && writeScopes.length === 0) return undefined;
  const where = legacyWrite
    ? "every repo your account can write to"
    : writeScopes
        .map((s) => {
          const perms = s.permissions.filter((p) => WRITE_ACCESS_PERMISSIONS.has(p.permission)).map((p) => p.permission);
          return `${scopeWhere(s)} (${perms.join(", ")})`;
        })
        .join("; ");
  return {
    id: "write-access",
    level: "warn",
    title: "The token can write",
    explanation: `Whoever holds this token can change content or settings: ${where}. A token used only to download or run models needs read access, and a leaked write token can replace weights with malicious ones.`,
    evidence: legacyWrite
      ? [{ label: `Token role: ${role ?? ""}`, url: TOKENS_SETTINGS_URL }]
      : writeScopes.map((s) => ({ label: `Write permission on ${scopeWhere(s)}` })),
    advice: [
      "If this token only downloads, replace it with a read-only fine-grained token.",
      "If it pushes, limit write access to the one repo it pushes to.",
    ],
  };
}

function broadScopeFinding(scopes: GroupedScopes): TokenFinding | undefined {
  const reasons: string[] = [];
  let level: Level = "info";
  const count = scopedEntityCount(scopes);
  if (count > MANY_SCOPES) reasons.push(`it is scoped to ${count} accounts, organizations or repos`);
  for (const org of scopes.org) {
    const writes = org.permissions.some((p) => p.writes);
    if (writes) level = "warn";
    reasons.push(`it covers all of ${org.label}${writes ? ", with write permissions" : ""}`);
  }
  for (const user of scopes.user) {
    if (user.permissions.some((p) => p.permission === "repo.write")) {
      level = "warn";
      reasons.push(`it can write to every repo of ${user.label}`);
    }
  }
  const globalWrites = scopes.global.filter((p) => p.writes);
  if (globalWrites.length > 0) {
    reasons.push(`it can ${globalWrites.map((p) => p.words).join(" and ")} anywhere on the Hub, as you`);
  }
  if (reasons.length === 0) return undefined;
  return {
    id: "broad-scope",
    level,
    title: "The token reaches more than one job needs",
    explanation: `This fine-grained token is broad: ${reasons.join("; ")}. The fewer places a token reaches, the less a leak costs.`,
    evidence: [TOKENS_EVIDENCE],
    advice: [
      "Use one token per use (one machine, one script), each scoped to the repos it touches.",
      "Prefer single-repo scopes over organization-wide or account-wide ones.",
    ],
  };
}

function preIncidentFinding(createdAt: number): TokenFinding {
  return {
    id: "pre-incident",
    level: "warn",
    title: "Created before the 2024 Spaces secrets incident",
    explanation: `This token was created on ${day(createdAt)}. On 2024-05-31 Hugging Face disclosed unauthorized access to Spaces secrets and asked everyone to refresh their tokens and move to fine-grained ones. A token older than that advice may have been exposed.`,
    evidence: [
      { label: `Created ${day(createdAt)}`, url: TOKENS_SETTINGS_URL },
      { label: "Hugging Face's disclosure (31 May 2024)", url: "https://huggingface.co/blog/space-secrets-disclosure" },
    ],
    advice: ["Replace it with a new fine-grained token, then invalidate this one."],
  };
}

function orgAdminFinding(adminOrgs: string[], reachesThem: boolean): TokenFinding {
  const list = adminOrgs.join(", ");
  return {
    id: "org-admin",
    level: reachesThem ? "warn" : "info",
    title: `You are an administrator of ${adminOrgs.length === 1 ? "an organization" : `${adminOrgs.length} organizations`}`,
    explanation: reachesThem
      ? `Your account is an admin of ${list}, and this token can act in ${adminOrgs.length === 1 ? "it" : "them"}. A leak would expose those organizations too, not only your own repos.`
      : `Your account is an admin of ${list}. This token is not scoped to ${adminOrgs.length === 1 ? "it" : "them"}, but keep tokens that are away from shared machines.`,
    evidence: adminOrgs.map((name) => ({ label: `Admin of ${name}`, url: orgUrl(name) })),
    advice: [
      "Keep organization access out of tokens that do not need it; give organization jobs their own narrow token.",
      "Ask whether the organization can require fine-grained tokens (token policy) and review its audit log.",
    ],
  };
}

export function auditToken(who: WhoAmI, now: number): TokenReview {
  const accessToken = who.auth.accessToken;
  const role = accessToken?.role;
  const scopes = groupScopes(accessToken?.fineGrained);
  const findings: TokenFinding[] = [];
  const gaps: string[] = [];

  const isLegacy = role !== undefined && LEGACY_ROLES.has(role);
  if (isLegacy) findings.push(legacyRoleFinding(role));

  // Write on one named repo is what a push token should look like (replacementFor("push") creates exactly that),
  // so only namespace-wide and organization-wide write counts here; many single-repo scopes are broad-scope.
  const writeScopes = allScopes(scopes).filter(
    (s) => s.group !== "repo" && s.permissions.some((p) => WRITE_ACCESS_PERMISSIONS.has(p.permission)),
  );
  const write = writeAccessFinding(role, writeScopes);
  if (write) findings.push(write);

  if (role === "fineGrained") {
    if (accessToken?.fineGrained === undefined) {
      gaps.push("The Hub did not list this fine-grained token's permissions, so its reach could not be checked.");
    } else {
      const broad = broadScopeFinding(scopes);
      if (broad) findings.push(broad);
    }
  } else if (!isLegacy) {
    gaps.push(
      role === undefined
        ? "The Hub did not say what this token may do (no role), so its reach could not be checked."
        : `The Hub gave a role this extension does not know (“${role}”), so its reach could not be checked.`,
    );
  }

  const created = parseDate(accessToken?.createdAt);
  if (created !== undefined && created < INCIDENT_ADVICE_DATE) findings.push(preIncidentFinding(created));
  else if (created === undefined) gaps.push("The Hub did not give the token's creation date.");

  const adminOrgs = who.orgs.filter((o) => o.roleInOrg === "admin").map((o) => o.name);
  if (adminOrgs.length > 0) {
    const scopedOrgNames = new Set(scopes.org.map((s) => s.entityName).filter((n): n is string => n !== undefined));
    // A classic token acts with all the account's rights; a fine-grained one only where it is scoped.
    const reachesThem = isLegacy || role === undefined || adminOrgs.some((name) => scopedOrgNames.has(name));
    findings.push(orgAdminFinding(adminOrgs, reachesThem));
  }

  const broad = findings.some((f) => BROAD_FINDING_IDS.has(f.id));
  let level: Level = gaps.length > 0 ? "unknown" : "ok";
  for (const f of findings) level = maxLevel(level, f.level);

  const review: TokenReview = {
    account: who.name,
    scopes,
    orgs: who.orgs.map((o) => (o.roleInOrg !== undefined ? { name: o.name, roleInOrg: o.roleInOrg } : { name: o.name })),
    findings,
    broad,
    level,
    gaps,
    reviewedAt: new Date(now).toISOString(),
  };
  if (who.fullname !== undefined) review.accountFullname = who.fullname;
  if (who.type !== undefined) review.accountType = who.type;
  if (accessToken?.displayName !== undefined) review.tokenName = accessToken.displayName;
  if (role !== undefined) review.role = role;
  if (who.auth.type !== undefined) review.authType = who.auth.type;
  if (accessToken?.createdAt !== undefined) review.createdAt = accessToken.createdAt;
  if (who.auth.expiresAt !== undefined) review.expiresAt = who.auth.expiresAt;
  return review;
}

/** The finding for a token the Hub rejected (HTTP 401). */
export function invalidTokenFinding(): TokenFinding {
  return {
    id: "invalid-token",
    level: "info",
    title: "The Hub does not accept this token",
    explanation:
      "Hugging Face answered that this token is not valid: it was mistyped, deleted, invalidated, or has expired. It cannot be used by anyone.",
    evidence: [TOKENS_EVIDENCE],
    advice: [
      "If you expected it to work, check your access tokens page and create a new fine-grained token.",
      "Remove it from scripts and secrets that still use it.",
    ],
  };
}

/** What may be stored about a review: no token, no fingerprint, no email. */
export interface StoredScope {
  group: ScopeGroup;
  entityType: string;
  /** Name when the Hub gave one, else the entity id. */
  entity: string;
  permissions: string[];
}

export interface StoredTokenReview {
  version: 1;
  account: string;
  tokenName?: string;
  role?: string;
  /** Token creation date as given by the Hub. */
  createdAt?: string;
  /** When the review was made (ISO). */
  reviewedAt: string;
  scopes: StoredScope[];
  globalPermissions: string[];
  findingIds: TokenFindingId[];
  broad: boolean;
}

export function summarizeForStorage(review: TokenReview): StoredTokenReview {
  const stored: StoredTokenReview = {
    version: 1,
    account: review.account,
    reviewedAt: review.reviewedAt,
    scopes: allScopes(review.scopes).map((s) => ({
      group: s.group,
      entityType: s.entityType,
      entity: s.entityName ?? s.entityId,
      permissions: s.permissions.map((p) => p.permission),
    })),
    globalPermissions: review.scopes.global.map((p) => p.permission),
    findingIds: review.findings.map((f) => f.id),
    broad: review.broad,
  };
  if (review.tokenName !== undefined) stored.tokenName = review.tokenName;
  if (review.role !== undefined) stored.role = review.role;
  if (review.createdAt !== undefined) stored.createdAt = review.createdAt;
  return stored;
}

const SCOPE_GROUPS: ReadonlySet<string> = new Set(["user", "org", "repo", "other"]);
const FINDING_IDS: ReadonlySet<string> = new Set(TOKEN_FINDING_IDS);

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/** Guard for values read back from storage: drop anything that is not a well-formed summary. */
export function isStoredTokenReview(value: unknown): value is StoredTokenReview {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const optString = (k: string) => v[k] === undefined || typeof v[k] === "string";
  return (
    v["version"] === 1 &&
    typeof v["account"] === "string" &&
    typeof v["reviewedAt"] === "string" &&
    optString("tokenName") &&
    optString("role") &&
    optString("createdAt") &&
    typeof v["broad"] === "boolean" &&
    isStringArray(v["globalPermissions"]) &&
    isStringArray(v["findingIds"]) &&
    v["findingIds"].every((id) => FINDING_IDS.has(id)) &&
    Array.isArray(v["scopes"]) &&
    v["scopes"].every((s: unknown) => {
      if (typeof s !== "object" || s === null) return false;
      const r = s as Record<string, unknown>;
      return (
        typeof r["group"] === "string" &&
        SCOPE_GROUPS.has(r["group"]) &&
        typeof r["entityType"] === "string" &&
        typeof r["entity"] === "string" &&
        isStringArray(r["permissions"])
      );
    })
  );
}
