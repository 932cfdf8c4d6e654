import type { RepoFinding, RepoFindingId } from "../findings";
import type { RepoFacts } from "../hub/facts";
import type { RuleSettings } from "../settings/types";

export interface RuleContext {
  settings: RuleSettings;
  /** "Now" in ms since epoch, passed in so rules stay pure and testable. */
  now: number;
}

/**
 * A risk rule: a pure function from facts to findings, one file per finding id.
 * A rule that needs a fact which is a gap returns an `unknown` finding naming the gap,
 * never nothing, so that a missing fact is never read as "fine".
 */
export interface Rule {
  id: RepoFindingId;
  evaluate(facts: RepoFacts, context: RuleContext): RepoFinding[];
}
