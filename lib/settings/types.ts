import type { RepoFindingId } from "../findings";

export type Strictness = "balanced" | "strict";

export interface AllowlistEntry {
  /** `owner`, `owner/name` or `owner/*`. */
  value: string;
  note?: string;
  /** ISO date (YYYY-MM-DD); the entry stops applying after this day. */
  expires?: string;
}

/** What the rules and the verdict need to know about the user's choices. */
export interface RuleSettings {
  strictness: Strictness;
  /** Rules the user switched off; their findings are not shown. */
  disabledRules: RepoFindingId[];
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = { strictness: "balanced", disabledRules: [] };

/**
 * `ask` (the default): hold a Danger or Unknown file's download and ask; `block`: a Danger file is
 * not downloaded from the page at all (an organization's policy, or the user's choice); `off`.
 */
export const DOWNLOAD_GUARD_MODES = ["off", "ask", "block"] as const;
export type DownloadGuardMode = (typeof DOWNLOAD_GUARD_MODES)[number];

export function isDownloadGuardMode(value: unknown): value is DownloadGuardMode {
  return typeof value === "string" && (DOWNLOAD_GUARD_MODES as readonly string[]).includes(value);
}

/** The stricter of two modes: an organization's minimum is never loosened by the user's choice. */
export function stricterGuard(a: DownloadGuardMode, b: DownloadGuardMode): DownloadGuardMode {
  return DOWNLOAD_GUARD_MODES.indexOf(a) >= DOWNLOAD_GUARD_MODES.indexOf(b) ? a : b;
}
