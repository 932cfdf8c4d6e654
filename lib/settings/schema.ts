import { REPO_FINDING_IDS, type RepoFindingId } from "../findings";
import { allowlistKey, cleanEntry, entryProblems } from "./allowlist";
import { DOWNLOAD_GUARD_MODES, isDownloadGuardMode, type AllowlistEntry, type DownloadGuardMode, type Strictness } from "./types";

/**
 * The user's settings as stored (storage.local "settings") and as exported: one versioned
 * document, so storage and import files go through the same migrations and the same validator.
 *
 * Version history:
 * - 0: no `version` field. The shorthand a person writes by hand, e.g. `{"allowlist": ["google", "meta-llama/*"]}`:
 *      allowlist items may be plain strings.
 * - 1: allowlist items are objects `{ value, note?, expires? }`.
 * - 2: adds `downloadGuard` (issue 27). A version-1 document reads as it did; without the field the
 *      guard keeps its current mode (the default, "ask", for stored settings). The number changed so that an
 *      older Hub Sentinel refuses a file with the field as "made by a newer Hub Sentinel", not as a typo.
 */
export const SETTINGS_VERSION = 2;

export interface UserSettings {
  version: typeof SETTINGS_VERSION;
  allowlist: AllowlistEntry[];
  strictness: Strictness;
  disabledRules: RepoFindingId[];
  /** Badges on the repo cards of listing pages (/models, profiles). */
  listingAnnotations: boolean;
  /** Longest time a fetched fact is reused; the Hub client's own, shorter lifetimes still apply. */
  cacheMaxMinutes: number;
  /** The download guard: hold a click that downloads a Danger or Unknown file ("ask"), refuse Danger ("block"), or "off". */
  downloadGuard: DownloadGuardMode;
}

export type SettingsFields = Omit<UserSettings, "version">;
export const SETTINGS_FIELDS = ["allowlist", "strictness", "disabledRules", "listingAnnotations", "cacheMaxMinutes", "downloadGuard"] as const satisfies readonly (keyof SettingsFields)[];

/** The Hub client keeps no fact longer than a day (lib/hub/client.ts TTL), so a day means "as the client decides". */
export const CACHE_MAX_MINUTES = { min: 1, max: 24 * 60 } as const;

export const DEFAULT_SETTINGS: UserSettings = {
  version: SETTINGS_VERSION,
  allowlist: [],
  strictness: "balanced",
  disabledRules: [],
  listingAnnotations: true,
  cacheMaxMinutes: CACHE_MAX_MINUTES.max,
  downloadGuard: "ask",
};

/**
 * Rules a person may switch off, with what they are for. The others stay on whatever the settings
 * say, because hiding them would turn "dangerous" or "not checked" into a quiet badge:
 * pickle-imports and scanner-flag (the danger the allowlist never hides either), scan-incomplete and
 * fetch-failed (an unchecked repo must not look checked), leaked-token (not a repo rule).
 */
export const SWITCHABLE_RULES: readonly { id: RepoFindingId; label: string }[] = [
  { id: "pickle-weights", label: "Pickle-format files are present" },
  { id: "unverified-author", label: "Author is a user or an unverified organization" },
  { id: "young-account", label: "Author's account was created recently" },
  { id: "lookalike-author", label: "Author's name imitates a well-known organization" },
  { id: "conversion-pr", label: "Safetensors-conversion pull requests" },
  { id: "weights-changed", label: "Weight files changed recently or by someone else" },
  { id: "remote-code", label: "Loading needs trust_remote_code" },
  { id: "space-docker", label: "Docker Spaces" },
  { id: "space-oauth", label: "Spaces asking you to sign in with Hugging Face" },
  { id: "template-changed", label: "Chat template differs from its base model's" },
];
const SWITCHABLE = new Set<string>(SWITCHABLE_RULES.map((rule) => rule.id));

export type Path = readonly (string | number)[];
export interface SettingsProblem {
  path: Path;
  message: string;
}

export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${part}` : part;
  return out || "(whole file)";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  if (typeof value === "object") return "an object";
  return typeof value === "number" || typeof value === "boolean" ? String(value) : typeof value;
}

/**
 * Brings a settings document of any known version to the current one. Problems that make the
 * document unreadable as a whole (not an object, unknown version) come back alone.
 */
export function migrateSettings(raw: unknown): { ok: true; document: Record<string, unknown>; from: number } | { ok: false; problem: SettingsProblem } {
  if (!isRecord(raw)) return { ok: false, problem: { path: [], message: `Settings must be a JSON object, not ${describe(raw)}.` } };
  const version = raw.version ?? 0;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0) {
    return { ok: false, problem: { path: ["version"], message: `${describe(version)} is not a settings version (a whole number).` } };
  }
  if (version > SETTINGS_VERSION) {
    return {
      ok: false,
      problem: { path: ["version"], message: `These settings are version ${version}, made by a newer Hub Sentinel; this one reads up to version ${SETTINGS_VERSION}. Update the extension first.` },
    };
  }
  let document: Record<string, unknown> = { ...raw };
  for (let from = version; from < SETTINGS_VERSION; from++) {
    const step = MIGRATIONS[from];
    if (!step) return { ok: false, problem: { path: ["version"], message: `No migration from settings version ${from}.` } };
    document = step(document);
  }
  return { ok: true, document, from: version };
}

/** MIGRATIONS[n] turns a version-n document into version n+1. Each step only reshapes; validation comes after. */
export const MIGRATIONS: Record<number, (document: Record<string, unknown>) => Record<string, unknown>> = {
  0: (document) => ({
    ...document,
    version: 1,
    ...(Array.isArray(document.allowlist)
      ? { allowlist: document.allowlist.map((item: unknown) => (typeof item === "string" ? { value: item } : item)) }
      : {}),
  }),
  // Nothing to reshape: the new field is optional, and absent it changes nothing on import.
  1: (document) => ({ ...document, version: 2 }),
};

/**
 * Validates a current-version document field by field. `fields` holds what is valid (a malformed
 * allowlist entry is left out, its neighbours kept); `problems` names everything else. Storage uses
 * both (show the problems, keep going); import refuses the file when there is any problem.
 */
export function validateSettings(document: Record<string, unknown>): { fields: Partial<SettingsFields>; problems: SettingsProblem[] } {
  const fields: Partial<SettingsFields> = {};
  const problems: SettingsProblem[] = [];
  for (const key of Object.keys(document)) {
    if (key !== "version" && key !== "exportedAt" && key !== "app" && !(SETTINGS_FIELDS as readonly string[]).includes(key)) {
      problems.push({ path: [key], message: `Unknown field "${key}". Known fields: ${SETTINGS_FIELDS.join(", ")}.` });
    }
  }

  if ("allowlist" in document) {
    const list = document.allowlist;
    if (!Array.isArray(list)) problems.push({ path: ["allowlist"], message: `The allowlist must be a list, not ${describe(list)}.` });
    else {
      const entries: AllowlistEntry[] = [];
      const seen = new Map<string, number>();
      list.forEach((item: unknown, index) => {
        const entry = readEntry(item, ["allowlist", index], problems);
        if (!entry) return;
        const key = allowlistKey(entry.value);
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({ path: ["allowlist", index, "value"], message: `"${entry.value}" repeats allowlist[${first}]; keep one of them.` });
          return;
        }
        seen.set(key, index);
        entries.push(entry);
      });
      fields.allowlist = entries;
    }
  }

  if ("strictness" in document) {
    const value = document.strictness;
    if (value === "balanced" || value === "strict") fields.strictness = value;
    else problems.push({ path: ["strictness"], message: `${describe(value)} is not a strictness: use "balanced" or "strict".` });
  }

  if ("disabledRules" in document) {
    const value = document.disabledRules;
    if (!Array.isArray(value)) problems.push({ path: ["disabledRules"], message: `disabledRules must be a list of rule ids, not ${describe(value)}.` });
    else {
      const rules: RepoFindingId[] = [];
      value.forEach((id: unknown, index) => {
        if (typeof id !== "string" || !(REPO_FINDING_IDS as readonly string[]).includes(id)) {
          problems.push({ path: ["disabledRules", index], message: `${describe(id)} is not a rule id.` });
        } else if (!SWITCHABLE.has(id)) {
          problems.push({ path: ["disabledRules", index], message: `"${id}" cannot be switched off: hiding it could make a dangerous or unchecked repo look fine.` });
        } else if (!rules.includes(id as RepoFindingId)) rules.push(id as RepoFindingId);
      });
      fields.disabledRules = rules;
    }
  }

  if ("listingAnnotations" in document) {
    const value = document.listingAnnotations;
    if (typeof value === "boolean") fields.listingAnnotations = value;
    else problems.push({ path: ["listingAnnotations"], message: `listingAnnotations must be true or false, not ${describe(value)}.` });
  }

  if ("cacheMaxMinutes" in document) {
    const value = document.cacheMaxMinutes;
    if (typeof value === "number" && Number.isInteger(value) && value >= CACHE_MAX_MINUTES.min && value <= CACHE_MAX_MINUTES.max) fields.cacheMaxMinutes = value;
    else {
      problems.push({
        path: ["cacheMaxMinutes"],
        message: `${describe(value)} is not a cache lifetime: use a whole number of minutes from ${CACHE_MAX_MINUTES.min} to ${CACHE_MAX_MINUTES.max}.`,
      });
    }
  }
  if ("downloadGuard" in document) {
    const value = document.downloadGuard;
    if (isDownloadGuardMode(value)) fields.downloadGuard = value;
    else problems.push({ path: ["downloadGuard"], message: `${describe(value)} is not a download guard setting: use ${DOWNLOAD_GUARD_MODES.map((mode) => `"${mode}"`).join(", ")}.` });
  }
  return { fields, problems };
}

function readEntry(item: unknown, path: (string | number)[], problems: SettingsProblem[]): AllowlistEntry | undefined {
  if (!isRecord(item)) {
    problems.push({ path, message: `An allowlist entry must be an object like {"value": "owner/name"}, not ${describe(item)}.` });
    return undefined;
  }
  let bad = false;
  for (const key of Object.keys(item)) {
    if (key !== "value" && key !== "note" && key !== "expires") {
      problems.push({ path: [...path, key], message: `Unknown field "${key}" in an allowlist entry (value, note, expires).` });
      bad = true;
    }
  }
  for (const key of ["value", "note", "expires"] as const) {
    const value = item[key];
    if (value !== undefined && typeof value !== "string") {
      problems.push({ path: [...path, key], message: `${key} must be text, not ${describe(value)}.` });
      bad = true;
    }
  }
  if (item.value === undefined) {
    problems.push({ path: [...path, "value"], message: 'Missing "value" (owner, owner/* or owner/name).' });
    bad = true;
  }
  if (bad) return undefined;
  const entry = cleanEntry(item as { value: string; note?: string; expires?: string });
  const entryIssues = entryProblems(entry);
  for (const issue of entryIssues) problems.push({ path: [...path, issue.field], message: issue.message });
  return entryIssues.length > 0 ? undefined : entry;
}

/**
 * Reads a stored settings value: never throws, never invents. Missing fields take their defaults
 * quietly (a fresh install, or a field added in a later version); anything malformed is left out and
 * described in `notes`, for the options page to show.
 */
export function readStoredSettings(raw: unknown): { settings: UserSettings; notes: string[] } {
  if (raw === undefined) return { settings: DEFAULT_SETTINGS, notes: [] };
  const migrated = migrateSettings(raw);
  if (!migrated.ok) {
    return { settings: DEFAULT_SETTINGS, notes: [`Stored settings could not be read (${migrated.problem.message}) Defaults are used until you save.`] };
  }
  const { fields, problems } = validateSettings(migrated.document);
  const notes = problems.map((problem) => `Stored setting ${formatPath(problem.path)} was dropped: ${problem.message}`);
  return { settings: { ...DEFAULT_SETTINGS, ...fields, version: SETTINGS_VERSION }, notes };
}
