import type { RepoFacts } from "./facts";
import type { Gap } from "./gaps";
import type { RateBudget } from "./rate-limit";

/**
 * When an answer the Hub's rate limit left unknown (or paused) can be asked for again: the end of
 * the block, whatever its length. Every answer of the background (repo verdict, file rows, pull
 * requests, listing cards) carries this time as `recheckAt`, and the content script that asked
 * re-checks then (lib/annotations/recheck.ts). Driven by the block's end, not by a count of
 * retries: a block that comes again is waited out again, up to MAX_REFUSALS_IN_A_ROW refusals in
 * a row (the transport then gives a gap without `retryAfterSeconds`, and this says undefined).
 *
 * Tabs re-checking at the same moment send one request per endpoint: the fact cache joins loads
 * in flight, and after a 429 the transport lets one request go first.
 */
export function recheckAt(gaps: Iterable<Gap | undefined>, budget: Pick<RateBudget, "blockedUntil">, now: number): number | undefined {
  for (const gap of gaps) {
    // The budget holds the block every refusal set (the transport records each 429 there); one
    // already over (`Retry-After: 0`, or it ended while the rest was gathered) means now.
    if (gap?.retryAfterSeconds !== undefined) return Math.max(now, budget.blockedUntil());
  }
  return undefined;
}

/**
 * Every gap of a repo's facts, the pull requests' changed files included. Every field of RepoFacts
 * that is a Fact counts, so a reader added later (Python scans, the base model's template) cannot
 * leave its rate-limited answer without a re-check.
 */
export function gapsOf(facts: RepoFacts): Gap[] {
  const gaps: Gap[] = [];
  for (const value of Object.values(facts)) {
    if (isFailedFact(value)) gaps.push(value.gap);
  }
  if (facts.pullRequests.ok) for (const pr of facts.pullRequests.value) if (isFailedFact(pr.changedFiles)) gaps.push(pr.changedFiles.gap);
  return gaps;
}

function isFailedFact(value: unknown): value is { ok: false; gap: Gap } {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { ok?: unknown; gap?: unknown };
  return candidate.ok === false && typeof candidate.gap === "object" && candidate.gap !== null;
}
