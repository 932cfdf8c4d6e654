import type { RepoFinding, RepoFindingId } from "../findings";
import type { RepoFacts } from "../hub/facts";
import { GAP_WORDS, type Gap } from "../hub/gaps";

/**
 * The finding a rule returns when a fact it needs is missing: `unknown`, saying what could
 * not be checked and why, so the badge never reads as "fine" for lack of data.
 */
export function gapFinding(id: RepoFindingId, what: string, gap: Gap): RepoFinding {
  return {
    id,
    level: "unknown",
    title: `Could not check ${what}: ${GAP_WORDS[gap.kind]}`,
    explanation: gap.message,
    evidence: [],
    advice:
      gap.kind === "rate-limited" && gap.retryAfterSeconds !== undefined
        ? [`The Hub asks to wait ${gap.retryAfterSeconds} s; the extension will check again after that.`]
        : ["Reload the page later; until then treat this repo as unchecked."],
  };
}

/**
 * When the repo info itself could not be fetched, `fetch-failed` reports it once with the reason.
 * Other facts failing the same way (a 401 for a private repo fails every request) would otherwise
 * add one identical `unknown` per rule: noise, not information. The verdict stays `unknown`
 * through fetch-failed, so nothing reads as fine.
 */
export function coveredByFetchFailed(facts: RepoFacts, gap: Gap): boolean {
  return !facts.info.ok && facts.info.gap.kind === gap.kind;
}

/** `gapFinding`, unless fetch-failed already says the same thing. */
export function ruleGap(facts: RepoFacts, id: RepoFindingId, what: string, gap: Gap): RepoFinding[] {
  return coveredByFetchFailed(facts, gap) ? [] : [gapFinding(id, what, gap)];
}
