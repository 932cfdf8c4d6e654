import { allowlistKey } from "./allowlist";
import { parseJsonWithPositions, pathKey, type Position } from "./json-positions";
import { formatPath, migrateSettings, SETTINGS_FIELDS, SETTINGS_VERSION, validateSettings, type Path, type UserSettings } from "./schema";
import type { AllowlistEntry } from "./types";

/**
 * Settings export and import as JSON. Import checks the whole file before anything changes and
 * reports every problem with its line and field. It adds the file's allowlist entries to the
 * user's and updates those with the same value; it never removes one, so neither the file's entries
 * nor the user's are lost without a word. Other fields in the file replace the current ones; fields
 * the file leaves out stay as they are. Managed (organization) entries are not the user's to export.
 */

export const EXPORT_FILE_NAME = "hub-sentinel-settings.json";
export const MAX_IMPORT_BYTES = 1_000_000;

export function exportSettings(settings: UserSettings, now: number): string {
  const document = {
    app: "Hub Sentinel",
    version: SETTINGS_VERSION,
    exportedAt: new Date(now).toISOString(),
    allowlist: settings.allowlist,
    strictness: settings.strictness,
    disabledRules: settings.disabledRules,
    listingAnnotations: settings.listingAnnotations,
    cacheMaxMinutes: settings.cacheMaxMinutes,
    downloadGuard: settings.downloadGuard,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export interface ImportProblem {
  /** 1-based; absent only when the problem is not tied to a place (an empty file). */
  line?: number;
  column?: number;
  /** `allowlist[2].expires`, or "(whole file)". */
  field: string;
  message: string;
}

export type ImportPlan = { ok: true; next: UserSettings; changes: string[] } | { ok: false; problems: ImportProblem[] };

export function formatImportProblem(problem: ImportProblem): string {
  return `${problem.line === undefined ? "" : `Line ${problem.line}, `}${problem.field}: ${problem.message}`;
}

export function planImport(text: string, current: UserSettings): ImportPlan {
  if (text.length > MAX_IMPORT_BYTES) {
    return { ok: false, problems: [{ field: "(whole file)", message: `The file is ${text.length} characters long; settings files are far smaller (at most ${MAX_IMPORT_BYTES}). Is it the right file?` }] };
  }
  if (text.trim() === "") return { ok: false, problems: [{ field: "(whole file)", message: "The file is empty." }] };
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    return { ok: false, problems: [{ line: parsed.position.line, column: parsed.position.column, field: "(JSON syntax)", message: parsed.message }] };
  }

  const where = (path: Path): Position | undefined => {
    // The deepest part of the path the file itself contains: a migrated shorthand entry ("owner")
    // has no `.value` of its own, so its problems point at the entry's line.
    for (let length = path.length; length >= 0; length--) {
      const key = path.slice(0, length).reduce<string>((parent, part) => pathKey(parent, part), "");
      const position = parsed.positions.get(key);
      if (position) return position;
    }
    return undefined;
  };
  const problemAt = (path: Path, message: string): ImportProblem => {
    const position = where(path);
    return { line: position?.line, column: position?.column, field: formatPath(path), message };
  };

  const problems: ImportProblem[] = parsed.duplicates.map((duplicate) => ({
    line: duplicate.position.line,
    column: duplicate.position.column,
    field: duplicate.path,
    message: "This field appears more than once; only one can be kept, so remove the other.",
  }));
  const migrated = migrateSettings(parsed.value);
  if (!migrated.ok) return { ok: false, problems: [...problems, problemAt(migrated.problem.path, migrated.problem.message)] };
  const { fields, problems: invalid } = validateSettings(migrated.document);
  problems.push(...invalid.map((problem) => problemAt(problem.path, problem.message)));
  if (!SETTINGS_FIELDS.some((field) => field in migrated.document)) {
    problems.push(problemAt([], `The file has none of the settings fields (${SETTINGS_FIELDS.join(", ")}). Is it a Hub Sentinel settings file?`));
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };

  const changes: string[] = [];
  let allowlist = current.allowlist;
  if (fields.allowlist) {
    const merged = mergeAllowlists(current.allowlist, fields.allowlist);
    allowlist = merged.entries;
    changes.push(
      `Allowlist: ${merged.added} added, ${merged.updated} updated, ${merged.unchanged} already there${current.allowlist.length > 0 ? `; your other entries are kept` : ""}.`,
    );
  }
  const next: UserSettings = { ...current, ...fields, allowlist, version: SETTINGS_VERSION };
  if (next.strictness !== current.strictness) changes.push(`Strictness: ${current.strictness} → ${next.strictness}.`);
  if (next.disabledRules.join() !== current.disabledRules.join()) {
    changes.push(`Switched-off rules: ${next.disabledRules.length > 0 ? next.disabledRules.join(", ") : "none"}.`);
  }
  if (next.listingAnnotations !== current.listingAnnotations) changes.push(`Listing-page badges: ${next.listingAnnotations ? "on" : "off"}.`);
  if (next.cacheMaxMinutes !== current.cacheMaxMinutes) changes.push(`Cache lifetime: at most ${next.cacheMaxMinutes} minutes.`);
  if (next.downloadGuard !== current.downloadGuard) changes.push(`Download guard: ${current.downloadGuard} → ${next.downloadGuard}.`);
  return { ok: true, next, changes };
}

/** Adds `incoming` to `current`; an incoming entry with the same value (`owner` = `owner/*`, any case) replaces its note and expiry. */
export function mergeAllowlists(current: readonly AllowlistEntry[], incoming: readonly AllowlistEntry[]) {
  const entries = [...current];
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const entry of incoming) {
    const index = entries.findIndex((existing) => allowlistKey(existing.value) === allowlistKey(entry.value));
    const existing = index >= 0 ? entries[index] : undefined;
    if (!existing) {
      entries.push(entry);
      added++;
    } else if (existing.note === entry.note && existing.expires === entry.expires) unchanged++;
    else {
      entries[index] = { ...entry, value: existing.value };
      updated++;
    }
  }
  return { entries, added, updated, unchanged };
}
