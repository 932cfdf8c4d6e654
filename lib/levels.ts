/**
 * Verdict levels, as fixed by the observable contract (shared/reference/contract.md):
 * danger > warn > unknown > info > ok, plus `pending` while facts are loading.
 */
export const LEVELS = ["ok", "info", "unknown", "warn", "danger"] as const;
export type Level = (typeof LEVELS)[number];
export type DisplayLevel = Level | "pending";

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function maxLevel(a: Level, b: Level): Level {
  return levelRank(a) >= levelRank(b) ? a : b;
}

export function isLevel(value: unknown): value is Level {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

/** Levels from most to least severe, the order in which findings are listed to a person. */
export const LEVELS_BY_SEVERITY: readonly Level[] = [...LEVELS].reverse();

export const LEVEL_WORDS: Record<DisplayLevel, string> = {
  danger: "Danger",
  warn: "Warning",
  unknown: "Unknown",
  info: "Info",
  ok: "OK",
  pending: "Checking",
};
