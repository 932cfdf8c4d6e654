import type { HubClient } from "../hub/client";
import type { RepoFacts } from "../hub/facts";
import { gapsOf, recheckAt } from "../hub/recheck";
import type { RepoVerdictView } from "../messaging/protocol";
import { readLayoutNotes, type LayoutNote } from "../page/layout-note";
import { repoKey, type DiscussionCounts, type RepoRef } from "../repo-ref";
import type { Rule } from "../rules/types";
import { sameRepo } from "./prefetch";
import { evaluateRepo, judgeRepo, type VerdictPolicy } from "../verdict/verdict";

export interface VerdictServiceOptions {
  client: HubClient;
  rules: readonly Rule[];
  /** Current settings and whether a repo is allowlisted; read on every verdict so changes apply at once. */
  policy: () => Promise<VerdictPolicy>;
  now?: () => number;
  /**
   * The repo as the tab's prefetch at navigation named it (prefetch.ts), if one is warming the cache
   * for this repo: gathering under its name finds the prefetch's loads (the header's canonical id
   * may differ from the URL's in case only, which would miss the cache's keys).
   */
  prefetched?: (tabId: number | undefined, repo: RepoRef) => RepoRef | undefined;
  /** Told of every change of a tab's state (new page, verdict, re-check, forgotten): the toolbar badge follows it. */
  onTabState?: (tabId: number, state: TabState | { state: "none" }) => void;
}

/** What the content script read from the page, besides the repo: each saves the Hub a request. */
export interface VerdictRequest {
  authorKind?: "org" | "user";
  pageSha?: string;
  discussions?: DiscussionCounts;
  tabId?: number;
}

type TabState = { state: "pending"; repo: RepoRef } | { state: "done"; verdict: RepoVerdictView };

/**
 * Gathers facts, runs the rules and remembers each tab's latest verdict for the popup.
 * A tab's new request cancels its previous one: work for a page the user left is dropped.
 */
export function createVerdictService(options: VerdictServiceOptions) {
  const now = options.now ?? (() => Date.now());
  const running = new Map<string, AbortController>();
  const tabs = new Map<number, TabState>();
  // Parts of the page each tab shows that its layout kept us from marking; replaced by each report.
  const layouts = new Map<number, LayoutNote[]>();
  function setTab(tabId: number, state: TabState) {
    tabs.set(tabId, state);
    options.onTabState?.(tabId, state);
  }

  async function verdictFor(repo: RepoRef, request: VerdictRequest): Promise<RepoVerdictView> {
    const slot = request.tabId === undefined ? undefined : `tab:${request.tabId}`;
    const controller = new AbortController();
    if (slot) {
      running.get(slot)?.abort();
      running.set(slot, controller);
    }
    if (request.tabId !== undefined) setTab(request.tabId, { state: "pending", repo });
    try {
      const asked = options.prefetched?.(request.tabId, repo) ?? repo;
      const gathered = await options.client.gatherRepoFacts(asked, {
        authorKind: request.authorKind,
        pageSha: request.pageSha,
        ...(request.discussions ? { pageDiscussions: request.discussions } : {}),
        signal: controller.signal,
      });
      const facts: RepoFacts = gathered.repo.id === repo.id ? gathered : { ...gathered, repo };
      const policy = await options.policy();
      const verdict = judgeRepo(repo, evaluateRepo(facts, options.rules, { settings: policy.settings, now: now() }), policy);
      const view: RepoVerdictView = {
        repo,
        level: verdict.level,
        findings: verdict.findings,
        allowlisted: verdict.allowlisted,
        resolvedRevision: facts.info.ok ? facts.info.value.sha : undefined,
        checkedAt: facts.fetchedAt,
      };
      const again = recheckAt(gapsOf(facts), options.client.budget, now());
      if (again !== undefined) view.recheckAt = again;
      if (request.tabId !== undefined && !controller.signal.aborted) setTab(request.tabId, { state: "done", verdict: view });
      return view;
    } finally {
      if (slot && running.get(slot) === controller) running.delete(slot);
    }
  }

  function forgetTab(tabId: number) {
    running.get(`tab:${tabId}`)?.abort();
    running.delete(`tab:${tabId}`);
    if (tabs.delete(tabId)) options.onTabState?.(tabId, { state: "none" });
  }

  return {
    verdictFor,
    tabState(tabId: number): (TabState | { state: "none" }) & { layout?: LayoutNote[] } {
      const state = tabs.get(tabId) ?? { state: "none" };
      const layout = layouts.get(tabId);
      return layout && layout.length > 0 ? { ...state, layout } : state;
    },
    /** The content script's report for the page the tab shows now (it reports once per page, then on each change). */
    noteLayout(tabId: number, notes: unknown) {
      const checked = readLayoutNotes(notes);
      if (checked.length > 0) layouts.set(tabId, checked);
      else layouts.delete(tabId);
    },
    /** The tab's page now shows `next` (or no repo): work and state for another repo are dropped. */
    leftRepo(tabId: number, next: RepoRef | undefined) {
      const state = tabs.get(tabId);
      const shown = state?.state === "pending" ? state.repo : state?.verdict.repo;
      if (shown && !(next && sameRepo(shown, next))) forgetTab(tabId);
    },
    /** The tab now shows a page that is not a repo: its verdict goes; its layout notes stay, they come from the page itself. */
    forgetTab,
    /** The tab was closed. */
    closeTab(tabId: number) {
      forgetTab(tabId);
      layouts.delete(tabId);
    },
    key: repoKey,
  };
}

export type VerdictService = ReturnType<typeof createVerdictService>;
