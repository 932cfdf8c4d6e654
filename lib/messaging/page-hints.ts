import type { DiscussionCounts } from "../hub/facts";
import type { HeaderProps } from "../page/islands";

/**
 * What a content script read from the page that saves the Hub a request (issue 20): the header's
 * discussion count; at none at all, the pull-request list is not asked for. Content scripts run
 * in pages: the background takes only well-formed values, anything else as if the page had said nothing.
 */
export interface PageHints {
  discussions?: DiscussionCounts;
}

export function pageHints(payload: { discussions?: unknown }): PageHints {
  const discussions = discussionCountsOf(payload.discussions);
  return discussions ? { discussions } : {};
}

/** The hints a repo page gives, from its header's props. */
export function hintsFromPage(header: Pick<HeaderProps, "discussions"> | undefined): PageHints {
  return header?.discussions ? { discussions: header.discussions } : {};
}

/** `discussionsStats` when it is whole counts that agree (open ≤ total); anything else is not used. */
export function discussionCountsOf(value: unknown): DiscussionCounts | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { open, total } = value as { open?: unknown; total?: unknown };
  const count = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!count(open) || !count(total) || open > total) return undefined;
  return { open, total };
}
