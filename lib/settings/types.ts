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
