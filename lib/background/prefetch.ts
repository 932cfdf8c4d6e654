import { parseHubUrl, type HubPage } from "../hub-url";
import { repoOwner, type RepoRef } from "../repo-ref";

/**
 * Start at navigation (issue 19): the background learns a Hub tab's URL from `tabs.onUpdated` as
 * soon as the navigation commits, long before the page's load event runs our content script. It
 * starts gathering that repo's facts then, through the same Hub client, so the facts land in the
 * same cache under the same keys: the content script's `repo-verdict` later finds them there, or
 * joins the loads still in flight (the cache deduplicates per fact), and no request goes out twice.
 *
 * Only what the badge would ask for anyway is fetched (repo info, files and author:
 * `warmRepoFacts`; the pull requests wait for the page's header count, except on a Community tab,
 * which lists them), nothing for pages that are
 * not repos, and nothing for listings (their cards ask for themselves, in one listing call;
 * prefetching every card of a listing before it is on screen would spend far beyond that).
 *
 * A tab navigating anywhere else cancels its prefetch: the cache aborts a load once no caller
 * waits for it, so requests nobody needs are cancelled on the wire.
 */
export interface PrefetchDeps {
  /**
   * The Hub client's warmRepoFacts (the same client, cache and deduplication as the verdicts): what
   * every verdict of the repo needs. The pull requests only for a Community tab, which lists them:
   * elsewhere only the page's header tells whether the repo has any, and most repos have none (issue 20).
   */
  warm: (repo: RepoRef, options: { authorKind?: "org" | "user"; pullRequests?: boolean; signal: AbortSignal }) => Promise<void>;
  /**
   * Whether the rate-limit budget allows optional work (issue 20's gate on the Hub client). A
   * prefetch is optional: when this says no, nothing starts and the content script's own request
   * goes through the client's normal path. Until that gate exists, everything is allowed.
   */
  budgetAllowsOptionalWork?: () => boolean;
  /** Called when a tab leaves the repo it showed (a different repo, or a page that is not a repo). */
  onLeftRepo?: (tabId: number, next: RepoRef | undefined) => void;
}

interface TabPrefetch {
  repo: RepoRef;
  controller: AbortController;
  settled: boolean;
}

/** Owners learned to be users stay known for this many entries (oldest forgotten first). */
const KNOWN_USERS_MAX = 500;

export function createPrefetcher(deps: PrefetchDeps) {
  const tabs = new Map<number, TabPrefetch>();
  /**
   * Owners the content script told us are users (header props). Without a kind the client asks
   * the organization overview first and falls back to the user's, one request more for a user;
   * remembering saves it the next time that owner's author fact has expired.
   */
  const knownUsers = new Set<string>();

  function cancel(tabId: number) {
    const current = tabs.get(tabId);
    if (!current) return;
    current.controller.abort();
    tabs.delete(tabId);
  }

  /**
   * A tab's URL changed (a new page, a reload, or the page's own history.pushState). Returns the
   * repo whose facts are being gathered for the tab, or undefined when nothing is.
   */
  function navigated(tabId: number, url: string | undefined): RepoRef | undefined {
    const page = pageOf(url);
    const repo = page?.kind === "repo" ? page.repo : undefined;
    const current = tabs.get(tabId);
    const sameAsBefore = current !== undefined && repo !== undefined && sameRepo(current.repo, repo);
    // The same page reported again (onUpdated fires for status and URL separately): keep what runs.
    if (sameAsBefore && !current.settled) return current.repo;
    if (!sameAsBefore) {
      cancel(tabId);
      deps.onLeftRepo?.(tabId, repo);
    }
    if (!repo) return undefined;
    if (deps.budgetAllowsOptionalWork && !deps.budgetAllowsOptionalWork()) {
      tabs.delete(tabId);
      return undefined;
    }
    const controller = new AbortController();
    const owner = repoOwner(repo.id).toLowerCase();
    const authorKind = knownUsers.has(owner) ? ("user" as const) : undefined;
    const community = page?.kind === "repo" && (page.tab === "community" || page.tab === "discussion");
    const warming = deps.warm(repo, { signal: controller.signal, ...(authorKind ? { authorKind } : {}), ...(community ? { pullRequests: true } : {}) });
    const entry: TabPrefetch = { repo, controller, settled: false };
    // Failures and cancellations are the content script's request to report, not ours.
    warming.then(
      () => (entry.settled = true),
      () => (entry.settled = true),
    );
    tabs.set(tabId, entry);
    return repo;
  }

  return {
    navigated,
    /**
     * The repo as this tab's prefetch named it, when it is warming the cache for this repo: the
     * verdict service gathers under that name, so it finds the prefetch's loads cached or in
     * flight (the header's canonical id may differ from the URL's in case only, which would miss
     * the cache's keys).
     */
    repoFor(tabId: number | undefined, repo: RepoRef): RepoRef | undefined {
      if (tabId === undefined) return undefined;
      const current = tabs.get(tabId);
      if (!current || !sameRepo(current.repo, repo) || current.controller.signal.aborted) return undefined;
      return current.repo;
    },
    /** What the content script learned from the page's header props. */
    learnAuthorKind(repo: RepoRef, kind: "org" | "user" | undefined) {
      const owner = repoOwner(repo.id).toLowerCase();
      if (kind === "user") {
        knownUsers.delete(owner);
        knownUsers.add(owner);
        while (knownUsers.size > KNOWN_USERS_MAX) {
          const oldest = knownUsers.values().next().value;
          if (oldest === undefined) break;
          knownUsers.delete(oldest);
        }
      } else if (kind === "org") knownUsers.delete(owner);
    },
    /** The tab closed, or the content script said it left. */
    forgetTab: cancel,
    /** Tabs with a prefetch running or done (tests, diagnostics). */
    activeTabs: () => [...tabs.keys()],
  };
}

export type Prefetcher = ReturnType<typeof createPrefetcher>;

function pageOf(url: string | undefined): HubPage | undefined {
  if (!url) return undefined;
  try {
    return parseHubUrl(new URL(url));
  } catch {
    return undefined; // an odd URL is not a page we prefetch for
  }
}

/** The Hub treats repo ids case-insensitively (it redirects to the canonical case). */
export function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.type === b.type && a.revision === b.revision && a.id.toLowerCase() === b.id.toLowerCase();
}
