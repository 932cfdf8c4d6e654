import { parseHubUrl } from "../hub-url";
import { isRepoId, type RepoRef } from "../repo-ref";
import type { AllowlistEntry } from "./types";

/**
 * Allowlist entries: `owner`, `owner/*` (every repo of an account or organization) or
 * `owner/name` (one repo, whatever its type). Matching ignores case because the Hub does:
 * huggingface.co/Google-BERT/bert-base-uncased and /google-bert/bert-base-uncased are one repo.
 */
export type AllowlistPattern = { kind: "owner"; owner: string } | { kind: "repo"; owner: string; name: string };

/** Hub account and repo names (hub-pages.md URL grammar); "--" and ".." are refused by the Hub. */
const NAME = /^[\w.-]{1,96}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const MAX_NOTE_LENGTH = 500;

function validName(name: string): boolean {
  return NAME.test(name) && !name.includes("--") && !name.includes("..");
}

/** Parses a stored or typed value; the reason says what is wrong in words a person can act on. */
export function parseAllowlistValue(value: string): { ok: true; pattern: AllowlistPattern } | { ok: false; reason: string } {
  if (value.length === 0) return { ok: false, reason: "Enter an owner (owner), all of an owner's repos (owner/*) or one repo (owner/name)." };
  if (/\s/.test(value)) return { ok: false, reason: `"${value}" contains spaces: Hub names never do.` };
  const parts = value.split("/");
  if (parts.length > 2) return { ok: false, reason: `"${value}" has more than one "/": write owner/name, or paste the repo's huggingface.co address.` };
  const [owner = "", name] = parts;
  if (owner.includes("*") || (name !== undefined && name !== "*" && name.includes("*"))) {
    return { ok: false, reason: `"${value}": the only wildcard allowed is a whole owner, as owner/*.` };
  }
  if (!validName(owner)) return { ok: false, reason: `"${owner}" is not a Hub account or organization name (letters, digits, "-", "_", "." only).` };
  if (name === undefined || name === "*") return { ok: true, pattern: { kind: "owner", owner } };
  if (!validName(name)) return { ok: false, reason: `"${name}" is not a Hub repo name (letters, digits, "-", "_", "." only).` };
  return { ok: true, pattern: { kind: "repo", owner, name } };
}

/**
 * What a person typed into the add field, tidied: surrounding spaces go, and a pasted
 * huggingface.co address becomes owner/name. Anything else is returned as typed, for the
 * validator to explain.
 */
export function normalizeAllowlistInput(raw: string): string {
  const value = raw.trim();
  if (/^https?:\/\//i.test(value)) {
    try {
      const page = parseHubUrl(new URL(value));
      if (page?.kind === "repo") return page.repo.id;
    } catch {
      // Not a URL after all: the validator says why it is not an entry.
    }
  }
  return value;
}

/** `owner` and `owner/*` mean the same; the key lets duplicates be found whatever the case. */
export function allowlistKey(value: string): string {
  const parsed = parseAllowlistValue(value);
  if (!parsed.ok) return value.toLowerCase();
  const { pattern } = parsed;
  return pattern.kind === "owner" ? `${pattern.owner.toLowerCase()}/*` : `${pattern.owner}/${pattern.name}`.toLowerCase();
}

export function isValidDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The user's calendar day, YYYY-MM-DD. Expiry dates are days the user picked in their own time
 * zone, so "expires 2026-12-01" applies until that day ends where the user is.
 */
export function localDay(now: number): string {
  const date = new Date(now);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The day before `day` (YYYY-MM-DD): "expire now" sets this, so the entry stops applying today. */
export function dayBefore(day: string): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  const previous = new Date(Date.UTC(year, month - 1, date - 1));
  return previous.toISOString().slice(0, 10);
}

/** An entry applies through its expiry day; YYYY-MM-DD strings compare as dates. */
export function isExpired(entry: Pick<AllowlistEntry, "expires">, today: string): boolean {
  return entry.expires !== undefined && entry.expires < today;
}

export function patternMatches(pattern: AllowlistPattern, repo: Pick<RepoRef, "id">): boolean {
  const [owner = "", name = ""] = repo.id.toLowerCase().split("/");
  if (pattern.owner.toLowerCase() !== owner) return false;
  return pattern.kind === "owner" || pattern.name.toLowerCase() === name;
}

/** The active entries that cover a repo (several may: an owner and one of its repos). */
export function matchingEntries<E extends AllowlistEntry>(entries: readonly E[], repo: Pick<RepoRef, "id">, today: string): E[] {
  return entries.filter((entry) => {
    if (isExpired(entry, today)) return false;
    const parsed = parseAllowlistValue(entry.value);
    return parsed.ok && patternMatches(parsed.pattern, repo);
  });
}

export interface EntryProblem {
  field: "value" | "note" | "expires";
  message: string;
}

/**
 * Checks one entry as it would be stored. Past expiry dates are valid here (an exported file keeps
 * its expired entries, and "expire now" writes one); the add and edit forms refuse them separately
 * through `validateNewEntry`, because a new entry that never applies is a mistake.
 */
export function entryProblems(entry: AllowlistEntry): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const parsed = parseAllowlistValue(entry.value);
  if (!parsed.ok) problems.push({ field: "value", message: parsed.reason });
  if (entry.note !== undefined && entry.note.length > MAX_NOTE_LENGTH) {
    problems.push({ field: "note", message: `The note is ${entry.note.length} characters long; at most ${MAX_NOTE_LENGTH} are kept.` });
  }
  if (entry.expires !== undefined && !isValidDate(entry.expires)) {
    problems.push({ field: "expires", message: `"${entry.expires}" is not a date written YYYY-MM-DD.` });
  }
  return problems;
}

/**
 * The add/edit form's check: a valid entry, not already in the list (`replacing` is the entry
 * being edited), and not expired before it starts.
 */
export function validateNewEntry(entry: AllowlistEntry, existing: readonly AllowlistEntry[], today: string, replacing?: string): EntryProblem[] {
  const problems = entryProblems(entry);
  if (problems.some((problem) => problem.field === "value")) return problems;
  const key = allowlistKey(entry.value);
  const duplicate = existing.find((other) => other.value !== replacing && allowlistKey(other.value) === key);
  if (duplicate) problems.push({ field: "value", message: `"${duplicate.value}" is already in the list: edit that entry instead.` });
  if (entry.expires !== undefined && isValidDate(entry.expires) && entry.expires < today) {
    problems.push({ field: "expires", message: `${entry.expires} has already passed, so the entry would never apply. Pick today or a later day, or leave it empty.` });
  }
  return problems;
}

/** Optional text fields: empty means absent, so an entry never stores "". */
export function cleanEntry(entry: { value: string; note?: string; expires?: string }): AllowlistEntry {
  const note = entry.note?.trim();
  const expires = entry.expires?.trim();
  return { value: entry.value.trim(), ...(note ? { note } : {}), ...(expires ? { expires } : {}) };
}

/**
 * The `?allowlist=` value of an options page URL, as opened by a findings panel. It only fills the
 * add field; the user still checks it and presses Add, so a page cannot allowlist anything.
 */
export function prefillFromSearch(search: string): string | undefined {
  const value = new URLSearchParams(search).get("allowlist")?.trim();
  return value && value.length <= 200 ? value : undefined;
}

/**
 * The options page URL path that prefills the add field with `repoId`, or undefined when the id
 * (sent by a content script, so page data) is not a Hub repo id.
 */
export function allowlistPrefillPath(repoId: unknown): `/options.html?allowlist=${string}` | undefined {
  if (typeof repoId !== "string" || !isRepoId(repoId)) return undefined;
  return `/options.html?allowlist=${encodeURIComponent(repoId)}`;
}
