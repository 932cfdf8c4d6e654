import type { DiscussionCounts } from "../repo-ref";
import { discussionCountsOf, type HeaderProps } from "../page/islands";

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
