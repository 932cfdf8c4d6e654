import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../../components/Annotation";
import type { PrAnnotationView, PrCandidate } from "../../lib/annotations/types";
import { sendToBackground } from "../../lib/messaging/client";
import { hintsFromPage } from "../../lib/messaging/page-hints";
import { readHeaderProps } from "../../lib/page/islands";
import { expectedDiscussionRows } from "../../lib/page/layout-check";
import { discussionHints, findDiscussionRows } from "../../lib/page/rows";
import { queryFirst, SELECTORS } from "../../lib/page/selectors";
import type { RepoRef } from "../../lib/repo-ref";
import { findingIds } from "./annotation-hosts";
import { startRowAnnotations } from "./row-annotations";

const HOST_TAG = "hub-sentinel-pr";

/**
 * Pull-request annotations: beside each PR in a repo's discussions list, and on a PR page. What a
 * PR is comes from the background (the repo's PR list and the conversion-pr / weights-changed
 * findings); a row the page's props call a discussion, or that the background does not know as a
 * PR, gets nothing.
 */
export function startPrAnnotations(ctx: ContentScriptContext, win: Window = window): void {
  startRowAnnotations<number, PrAnnotationView>(ctx, win, (page, doc) => {
    if (page.kind !== "repo" || (page.tab !== "community" && page.tab !== "discussion")) return undefined;
    const repo: RepoRef = { ...page.repo, revision: "main" };
    const pageNum = page.tab === "discussion" ? page.discussion : undefined;
    const header = readHeaderProps(doc, repo.type);
    const authorKind = header?.authorKind;
    return {
      hostTag: HOST_TAG,
      visible() {
        // A PR page: its one PR, after the discussion's header; a list: each row's link.
        if (pageNum !== undefined) return new Map([[pageNum, queryFirst(doc, SELECTORS.discussionHeader) ?? undefined]]);
        return new Map(findDiscussionRows(doc, repo).map((row) => [row.num, row.link]));
      },
      async ask(nums) {
        const hints = discussionHints(doc);
        const candidates: PrCandidate[] = nums.map((num) => (hints.has(num) ? { num, isPullRequest: hints.get(num) } : { num }));
        const answer = await sendToBackground("pr-annotations", { repo, candidates, authorKind, ...hintsFromPage(header) });
        return { views: answer.prs, recheckAt: answer.recheckAt };
      },
      keyOf: (view) => view.num,
      layout: {
        part: "pull-requests",
        // A PR page has its one PR (known once the background answers); a list, when the page lists discussions.
        expected: () => (pageNum !== undefined ? undefined : expectedDiscussionRows(doc, repo, new URL(win.location.href))),
        subject: (num) => `pull request #${num}`,
      },
      paint(host, view) {
        host.paint(
          { "data-hub-sentinel": "pr", "data-num": String(view.num), "data-level": view.level, "data-findings": findingIds(view.findings) },
          <Annotation level={view.level} subject={`PR #${view.num}`} kind="pull request" findings={view.findings} host={host.host}>
            <p class="detail">{view.summary}</p>
          </Annotation>,
        );
      },
    };
  });
}
