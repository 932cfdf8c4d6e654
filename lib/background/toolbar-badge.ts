import { LEVEL_WORDS } from "../levels";
import type { PageToBackground } from "../messaging/protocol";
import { isHubHost, parseHubUrl } from "../hub-url";
import type { RepoRef } from "../repo-ref";

/** What the background knows about a tab's page (the popup's `tab-verdict` answer). */
export type TabVerdictState = PageToBackground["tab-verdict"]["response"];

/** What the toolbar button shows for one tab. */
export interface ToolbarBadge {
  /** Badge text: empty for no badge. */
  text: string;
  /** Badge background, and the text colour that stays readable on it. */
  color: string;
  textColor: string;
  /** The button's tooltip (and its accessible name): the verdict in words. */
  title: string;
}

export const TOOLBAR_TITLE = "Hub Sentinel";

// Colours as the browsers' own warning UI uses them (red, amber, grey); amber takes dark text for contrast.
const DANGER = { color: "#C5221F", textColor: "#FFFFFF" };
const WARN = { color: "#F9AB00", textColor: "#202124" };
const UNKNOWN = { color: "#5F6368", textColor: "#FFFFFF" };
const NONE = { color: "#5F6368", textColor: "#FFFFFF" };

/**
 * The toolbar badge for a tab's state. Only what asks for attention gets a badge (danger, warn, unknown);
 * ok and info say so in the title alone, as uBlock Origin's count does not shout on a clean page.
 */
export function toolbarBadgeFor(state: TabVerdictState): ToolbarBadge {
  if (state.state === "none") return { text: "", ...NONE, title: TOOLBAR_TITLE };
  if (state.state === "pending") return { text: "", ...NONE, title: `${TOOLBAR_TITLE}: checking ${describeRepo(state.repo)}…` };
  const { verdict } = state;
  const count = verdict.findings.length;
  const findings = count === 0 ? "no findings" : `${count} finding${count === 1 ? "" : "s"}`;
  const allowlisted = verdict.allowlisted ? " (allowlisted)" : "";
  const title = `${TOOLBAR_TITLE}: ${LEVEL_WORDS[verdict.level]}, ${findings} for ${describeRepo(verdict.repo)}${allowlisted}`;
  switch (verdict.level) {
    case "danger":
      return { text: "!", ...DANGER, title };
    case "warn":
      return { text: "!", ...WARN, title };
    case "unknown":
      return { text: "?", ...UNKNOWN, title };
    case "info":
    case "ok":
      return { text: "", ...NONE, title };
  }
}

/** Model ids read as on the Hub (`owner/name`); datasets and Spaces say what they are. */
function describeRepo(repo: RepoRef): string {
  return repo.type === "model" ? repo.id : `${repo.type === "space" ? "Space" : "dataset"} ${repo.id}`;
}

/** The part of `browser.action` (MV3) / `browser.browserAction` (Firefox MV2) the badge needs; all per tab. */
export interface ToolbarActionApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
  /** Chrome 110+, Firefox 63+; older browsers pick their own text colour. */
  setBadgeTextColor?(details: { tabId: number; color: string }): Promise<void>;
  setTitle(details: { tabId: number; title: string }): Promise<void>;
}

/**
 * Keeps each tab's toolbar button in step with its verdict. Fed by the verdict service on every change of a
 * tab's state (new page, re-check after a settings or allowlist change, a later re-check, the tab forgotten).
 * Values are set with the tab's id, which needs no permission, and the browser drops them when the tab
 * navigates to another document, so a page that is not the Hub's is left without a badge.
 */
export function createToolbarBadges(api: ToolbarActionApi, onError: (error: unknown) => void = () => undefined) {
  const shown = new Map<number, Exclude<TabVerdictState, { state: "none" }>>();

  function apply(tabId: number, state: TabVerdictState) {
    const badge = toolbarBadgeFor(state);
    // A tab can close between the verdict and these calls: the browser then rejects, and that is fine.
    // It is called from inside the verdict service: a browser whose API throws outright must not cost the
    // page its verdict, so nothing leaves here but through onError.
    const calls: (() => Promise<void> | undefined)[] = [
      () => api.setBadgeText({ tabId, text: badge.text }),
      () => api.setBadgeBackgroundColor({ tabId, color: badge.color }),
      () => api.setBadgeTextColor?.({ tabId, color: badge.textColor }),
      () => api.setTitle({ tabId, title: badge.title }),
    ];
    for (const call of calls) {
      try {
        call()?.catch(onError);
      } catch (error) {
        onError(error);
      }
    }
  }

  return {
    /** A tab's state changed. */
    show(tabId: number, state: TabVerdictState) {
      const before = shown.get(tabId);
      // A re-check of the repo already shown (settings, allowlist) keeps its badge until the new verdict:
      // the badge should change once, not blink through "checking".
      if (state.state === "pending" && before?.state === "done" && sameRepo(before.verdict.repo, state.repo)) return;
      if (state.state === "none") shown.delete(tabId);
      else shown.set(tabId, state);
      apply(tabId, state);
    },
    /**
     * The tab's page changed or finished loading (tabs.onUpdated; `url` is there only for hosts the extension
     * may access). Not on the Hub any more: the state is stale, and the caller forgets the tab. Back on the
     * repo whose verdict is known (a page restored from the back-forward cache runs no content script again,
     * while the browser has dropped the tab's badge): shown again. Anything else waits for the content script.
     */
    tabUpdated(tabId: number, url: string | undefined): "left-hub" | "reapplied" | "unchanged" {
      const state = shown.get(tabId);
      if (!state) return "unchanged";
      const parsed = parseUrl(url);
      if (!parsed || parsed.protocol !== "https:" || !isHubHost(parsed.hostname)) return "left-hub";
      const page = parseHubUrl(parsed);
      const repo = state.state === "done" ? state.verdict.repo : state.repo;
      if (page?.kind === "repo" && sameRepo(page.repo, repo)) {
        apply(tabId, state);
        return "reapplied";
      }
      return "unchanged";
    },
  };
}

export type ToolbarBadges = ReturnType<typeof createToolbarBadges>;

function parseUrl(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Ids compare as the Hub does (case-insensitively); the revision counts, a branch is another verdict. */
function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.type === b.type && a.id.toLowerCase() === b.id.toLowerCase() && a.revision === b.revision;
}
