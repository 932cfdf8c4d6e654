import { cleanEntry, entryProblems, parseAllowlistValue } from "./allowlist";
import { isDownloadGuardMode, type AllowlistEntry, type DownloadGuardMode, type Strictness } from "./types";

/**
 * The policy an organization pushes (storage.managed): Chrome reads it from enterprise policy
 * under `3rdparty.extensions.<id>`, checked against public/managed-schema.json; Firefox from
 * policies.json `3rdparty.Extensions.<add-on id>`. The README shows both.
 *
 * Chrome checks types against the schema, Firefox does not, and either way an administrator's typo
 * must not break the extension: every field is validated here and what is malformed is left out
 * with a note the options page shows.
 */
export interface ManagedPolicy {
  /** Organizations (or users) whose repos are allowlisted for everyone: `owner` entries. */
  trustedOrganizations: string[];
  /** Full allowlist entries, with note and expiry. */
  allowlist: AllowlistEntry[];
  /** Authors whose repos are always `danger`, whatever any allowlist says. */
  blockedAuthors: string[];
  /** The user may choose this strictness or a stricter one. */
  minimumStrictness: Strictness;
  /** Hide the popup's token review (some organizations forbid pasting tokens into tools). */
  disableTokenReview: boolean;
  /**
   * The download guard users get at least (policy key `downloadGuard`): "ask" keeps it on (users
   * cannot switch it off), "block" also takes "Download anyway" away for Danger files; "off": no minimum.
   */
  downloadGuard: DownloadGuardMode;
}

export const EMPTY_MANAGED_POLICY: ManagedPolicy = {
  trustedOrganizations: [],
  allowlist: [],
  blockedAuthors: [],
  minimumStrictness: "balanced",
  disableTokenReview: false,
  downloadGuard: "off",
};

export const MANAGED_KEYS = ["trustedOrganizations", "allowlist", "blockedAuthors", "minimumStrictness", "disableTokenReview", "downloadGuard"] as const;

function ownerNames(raw: unknown, field: string, notes: string[]): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    notes.push(`${field} must be a list of account or organization names; it was ignored.`);
    return [];
  }
  const names: string[] = [];
  raw.forEach((item: unknown, index) => {
    const value = typeof item === "string" ? item.trim() : undefined;
    const parsed = value === undefined ? undefined : parseAllowlistValue(value);
    if (!value || !parsed?.ok || parsed.pattern.kind !== "owner" || value.includes("/")) {
      notes.push(`${field}[${index}] ${JSON.stringify(item)} was ignored: it must be an account or organization name, like "google".`);
    } else if (!names.some((name) => name.toLowerCase() === value.toLowerCase())) names.push(value);
  });
  return names;
}

/** Validates what storage.managed returned. Never throws; `notes` lists what was ignored and why. */
export function readManagedPolicy(raw: unknown): { policy: ManagedPolicy; notes: string[] } {
  const notes: string[] = [];
  if (raw === undefined || raw === null) return { policy: EMPTY_MANAGED_POLICY, notes };
  if (typeof raw !== "object" || Array.isArray(raw)) return { policy: EMPTY_MANAGED_POLICY, notes: ["The organization's policy is not an object; it was ignored."] };
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(MANAGED_KEYS as readonly string[]).includes(key)) notes.push(`Unknown policy field "${key}" was ignored (known: ${MANAGED_KEYS.join(", ")}).`);
  }

  const allowlist: AllowlistEntry[] = [];
  if (record.allowlist !== undefined) {
    if (!Array.isArray(record.allowlist)) notes.push("allowlist must be a list of entries; it was ignored.");
    else {
      record.allowlist.forEach((item: unknown, index) => {
        const candidate =
          typeof item === "string" ? { value: item } : typeof item === "object" && item !== null ? (item as Record<string, unknown>) : undefined;
        const fieldsOk =
          candidate !== undefined &&
          typeof candidate.value === "string" &&
          (candidate.note === undefined || typeof candidate.note === "string") &&
          (candidate.expires === undefined || typeof candidate.expires === "string");
        const entry = fieldsOk ? cleanEntry(candidate as { value: string; note?: string; expires?: string }) : undefined;
        const problems = entry ? entryProblems(entry) : [];
        if (!entry || problems.length > 0) {
          notes.push(`allowlist[${index}] was ignored: ${problems[0]?.message ?? 'an entry is {"value": "owner/name", "note": "…", "expires": "YYYY-MM-DD"}.'}`);
        } else allowlist.push(entry);
      });
    }
  }

  let minimumStrictness: Strictness = "balanced";
  if (record.minimumStrictness !== undefined) {
    if (record.minimumStrictness === "balanced" || record.minimumStrictness === "strict") minimumStrictness = record.minimumStrictness;
    // Unreadable minimum: the safer reading of an administrator's intent is the stricter one.
    else {
      minimumStrictness = "strict";
      notes.push(`minimumStrictness ${JSON.stringify(record.minimumStrictness)} is not "balanced" or "strict"; "strict" is applied, to be safe.`);
    }
  }

  let disableTokenReview = false;
  if (record.disableTokenReview !== undefined) {
    if (typeof record.disableTokenReview === "boolean") disableTokenReview = record.disableTokenReview;
    else {
      // Same reasoning: an administrator who wrote something here meant to restrict.
      disableTokenReview = true;
      notes.push(`disableTokenReview ${JSON.stringify(record.disableTokenReview)} is not true or false; the token review is disabled, to be safe.`);
    }
  }

  let downloadGuard: DownloadGuardMode = "off";
  if (record.downloadGuard !== undefined) {
    // "off" is no minimum (users choose), as when the key is left out; it is also what a kept snapshot holds then.
    if (isDownloadGuardMode(record.downloadGuard)) downloadGuard = record.downloadGuard;
    else {
      // As above: an administrator who wrote something else here meant to restrict.
      downloadGuard = "block";
      notes.push(`downloadGuard ${JSON.stringify(record.downloadGuard)} is not "ask", "block" or "off"; "block" is applied, to be safe.`);
    }
  }

  return {
    policy: {
      trustedOrganizations: ownerNames(record.trustedOrganizations, "trustedOrganizations", notes),
      allowlist,
      blockedAuthors: ownerNames(record.blockedAuthors, "blockedAuthors", notes),
      minimumStrictness,
      disableTokenReview,
      downloadGuard,
    },
    notes: notes.map((note) => `Organization policy: ${note}`),
  };
}
