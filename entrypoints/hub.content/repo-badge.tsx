import { render } from "preact";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Badge } from "../../components/Badge";
import { BADGE_CSS } from "../../components/level-style";
import type { RepoFinding } from "../../lib/findings";
import type { DisplayLevel } from "../../lib/levels";
import { sendToBackground } from "../../lib/messaging/client";
import { hintsFromPage } from "../../lib/messaging/page-hints";
import { describeRevision, parseHubUrl } from "../../lib/hub-url";
import { findHeaderIsland, readHeaderProps } from "../../lib/page/islands";
import { createRecheckTimer } from "../../lib/annotations/recheck";
import type { LayoutNote } from "../../lib/page/layout-note";
import { findRepoNameLink, queryFirst, SELECTORS } from "../../lib/page/selectors";
import { watchPage } from "../../lib/page/watch";
import { repoPagePath, type RepoRef } from "../../lib/repo-ref";
import { onPolicyChange } from "../../lib/settings/changes";
import { currentRateLimit, rateLimitActive, watchRateLimit } from "../../lib/storage/rate-limit-signal";
import { onFactsChanged } from "./facts-changed";
import { currentLayoutNotes, onLayoutNotes } from "./layout-notes";
import { listenForOpenPanel, pressBadgeButton } from "./open-panel";
import { createShadowHost } from "./shadow-host";

interface BadgeState {
  repo: RepoRef;
  level: DisplayLevel;
  findings: RepoFinding[];
  allowlisted: boolean;
  revisionLabel?: string;
}

const HOST_TAG = "hub-sentinel-badge";

/**
 * One badge per repo page, next to the repo name in the header. Hydration replaces the header's
 * children and the page may change its URL without a reload, so the badge is re-anchored by one
 * shared observer and re-checked on every location change.
 */
export async function startRepoBadge(ctx: ContentScriptContext, win: Window = window): Promise<void> {
  const doc = win.document;
  let state: BadgeState | undefined;
  let request = 0;
  // This check has been held up by the Hub's rate limit (a block was published while it was
  // pending): the pending badge says so until the check answers, whenever the block itself ends.
  let heldByRateLimit = false;
  let checkStartedAt = 0;
  // A verdict the rate limit left unknown is asked for again at the block's end (lib/annotations/recheck.ts).
  const recheckTimer = createRecheckTimer({ recheck: () => void recheck(), setTimer: (run, ms) => ctx.setTimeout(run, ms), clearTimer: (handle) => clearTimeout(handle as number) });
  ctx.onInvalidated(() => recheckTimer.stop());
  // What this page's layout kept the row features from marking (layout-notes.ts): said in the panel.
  let layoutNotes: LayoutNote[] = currentLayoutNotes(doc);

  const ui = createShadowHost(ctx, { name: HOST_TAG, css: BADGE_CSS, doc });
  const host = ui.host;
  // The popup's "open the findings panel on the page".
  listenForOpenPanel(ctx, () => state !== undefined && pressBadgeButton(ui.shadow, host));

  function paint() {
    if (!state) return;
    host.setAttribute("data-hub-sentinel", "repo");
    host.setAttribute("data-repo", state.repo.id);
    host.setAttribute("data-repo-type", state.repo.type);
    host.setAttribute("data-revision", state.repo.revision);
    host.setAttribute("data-level", state.level);
    host.setAttribute("data-findings", state.level === "pending" ? "" : uniqueIds(state.findings));
    if (state.allowlisted) host.setAttribute("data-allowlisted", "true");
    else host.removeAttribute("data-allowlisted");
    host.setAttribute("data-theme", doc.documentElement.classList.contains("dark") ? "dark" : "light");
    if (layoutNotes.length > 0) host.setAttribute("data-layout-unrecognised", layoutNotes.map((note) => note.part).join(" "));
    else host.removeAttribute("data-layout-unrecognised");
    render(
      <Badge
        level={state.level}
        findings={state.findings}
        allowlisted={state.allowlisted}
        repoId={state.repo.id}
        revisionLabel={state.revisionLabel}
        waitingForRateLimit={state.level === "pending" && (heldByRateLimit || rateLimitActive(currentRateLimit()) === "blocked")}
        host={host}
        onAllowlist={allowlistAction(state.repo.id)}
        layoutNotes={layoutNotes}
      />,
      ui.container,
    );
  }

  async function check(url: URL) {
    const page = parseHubUrl(url);
    const repo = page?.kind === "repo" ? canonicalRepo(page.repo, doc) : undefined;
    if (!page || page.kind !== "repo" || !repo) {
      state = undefined;
      ui.remove();
      request++;
      recheckTimer.cancel();
      // So the popup does not show the verdict of the repo this tab showed before.
      sendToBackground("page-left", {}).catch(() => undefined);
      return;
    }
    if (state && state.repo.id === repo.id && state.repo.type === repo.type && state.repo.revision === repo.revision && state.level !== "pending") {
      return; // same repo and revision: the verdict stands
    }
    const revisionLabel = page.revisionFromUrl && repo.revision !== "main" ? describeRevision(repo.revision) : undefined;
    state = { repo, level: "pending", findings: [], allowlisted: false, revisionLabel };
    checkStartedAt = Date.now();
    // A block already in force holds this check too, also once it has ended and the check's retry is on its way.
    heldByRateLimit = (currentRateLimit()?.blockedUntil ?? 0) > checkStartedAt;
    recheckTimer.cancel();
    if (!host.isConnected) placeHost(findAnchor(doc, repo), host, doc);
    paint();
    const mine = ++request;
    const header = readHeaderProps(doc, repo.type);
    try {
      const verdict = await sendToBackground("repo-verdict", { repo, authorKind: header?.authorKind, pageSha: header?.sha, ...hintsFromPage(header) });
      if (mine !== request || ctx.isInvalid) return;
      state = { ...state, level: verdict.level, findings: verdict.findings, allowlisted: verdict.allowlisted };
      followRecheck(verdict.recheckAt);
    } catch (error) {
      if (mine !== request || ctx.isInvalid) return;
      state = { ...state, level: "unknown", findings: [extensionFailure(error)], allowlisted: false };
    }
    heldByRateLimit = false;
    paint();
  }

  /** The verdict says when the Hub's block ends (it left something unknown): ask again then; else nothing waits. */
  function followRecheck(at: number | undefined) {
    if (at === undefined) recheckTimer.cancel();
    else recheckTimer.schedule(at);
  }

  /**
   * Settings or the organization's policy changed (an allowlist entry, strictness, a rule switch):
   * ask again for the same repo. The badge keeps its current level until the new verdict arrives,
   * rather than going back to pending; the facts come from the background's cache.
   */
  async function recheck() {
    if (!state) return;
    const { repo } = state;
    const mine = ++request;
    try {
      const header = readHeaderProps(doc, repo.type);
      const verdict = await sendToBackground("repo-verdict", { repo, authorKind: header?.authorKind, pageSha: header?.sha, ...hintsFromPage(header) });
      if (mine !== request || ctx.isInvalid || !state) return;
      state = { ...state, level: verdict.level, findings: verdict.findings, allowlisted: verdict.allowlisted };
      followRecheck(verdict.recheckAt);
    } catch (error) {
      if (mine !== request || ctx.isInvalid || !state) return;
      state = { ...state, level: "unknown", findings: [extensionFailure(error)], allowlisted: false };
    }
    paint();
  }
  ctx.onInvalidated(onPolicyChange(() => void recheck()));
  // An opened file row or file page had a GGUF header read: the repo's facts grew.
  ctx.onInvalidated(onFactsChanged(() => void recheck()));
  // The Hub's rate limit: a pending badge says it is waiting. A verdict it left unknown names the
  // block's end and is asked for again then (followRecheck), or at once when the block ends early.
  ctx.onInvalidated(
    watchRateLimit({
      onChange: (signal) => {
        if (state?.level !== "pending") return;
        // A block that ends after this check began is one it has to wait out (or be refused by).
        if (signal.blockedUntil > checkStartedAt) heldByRateLimit = true;
        paint();
      },
      onLifted: () => recheckTimer.lifted(),
    }),
  );
  onLayoutNotes(ctx, doc, (notes) => {
    layoutNotes = notes;
    paint();
  });

  watchPage(ctx, doc, {
    onDomChangeNow: () => {
      if (!state) return;
      const anchor = findAnchor(doc, state.repo);
      // Without an anchor the chip stays wherever it is in the body: fighting the page over the
      // body's first place could loop with the page's own scripts.
      const misplaced = anchor ? host.previousElementSibling !== anchor : host.parentElement !== doc.body;
      if (!host.isConnected || misplaced) placeHost(anchor, host, doc);
      removeStrayBadges(doc, host);
    },
    onThemeChange: paint,
    onLocationChange: (url) => void check(url),
  });
  await check(new URL(win.location.href));
}

/** The repo id from the header island's props when it agrees with the URL (it has the canonical case after a redirect). */
function canonicalRepo(repo: RepoRef, doc: Document): RepoRef | undefined {
  const props = readHeaderProps(doc, repo.type);
  if (props?.repoId && props.repoId.toLowerCase() === repo.id.toLowerCase()) return { ...repo, id: props.repoId };
  return repo;
}

/**
 * Beside the repo-name link of the header's heading; when the header island is not recognised, of
 * any page heading that links to the repo; null when neither is there (the fixed chip).
 */
function findAnchor(doc: Document, repo: RepoRef | undefined): Element | null {
  if (!repo) return null;
  const path = repoPagePath(repo.type, repo.id);
  const island = findHeaderIsland(doc, repo.type);
  const heading = island ? queryFirst(island, SELECTORS.headerHeading) : null;
  const inHeader = heading ? findRepoNameLink(heading, path) : null;
  if (inHeader) return inHeader;
  for (const selector of SELECTORS.anyHeading) {
    for (const candidate of Array.from(doc.querySelectorAll(selector))) {
      const link = findRepoNameLink(candidate, path);
      if (link) return link;
    }
  }
  return null;
}

/**
 * After the anchor, or, with none, as a small chip fixed at the top of the page: first in the body,
 * so it comes early in the keyboard's tab order, never missing from a repo page.
 */
function placeHost(anchor: Element | null, host: Element, doc: Document) {
  if (!anchor) {
    host.setAttribute("data-fixed", "true");
    doc.body.prepend(host);
  } else {
    host.removeAttribute("data-fixed");
    anchor.after(host);
  }
}

/** Exactly one badge per page, whatever an older instance of the content script left behind. */
function removeStrayBadges(doc: Document, host: HTMLElement) {
  for (const other of Array.from(doc.querySelectorAll(`${HOST_TAG}[data-hub-sentinel="repo"]`))) {
    if (other !== host) other.remove();
  }
}

/**
 * The findings panel's "Allowlist…" button: the background opens the options page with this repo
 * in the add field. Content scripts cannot write settings; the user confirms on the options page.
 */
function allowlistAction(repoId: string): () => void {
  return () => {
    sendToBackground("open-allowlist", { repoId }).catch((error: unknown) =>
      console.debug("Hub Sentinel: could not open the options page:", error instanceof Error ? error.message : error),
    );
  };
}

function uniqueIds(findings: RepoFinding[]): string {
  return [...new Set(findings.map((finding) => finding.id))].join(" ");
}

function extensionFailure(error: unknown): RepoFinding {
  return {
    id: "fetch-failed",
    level: "unknown",
    title: "The extension could not finish checking this repo",
    explanation: `Hub Sentinel's background did not return a verdict (${error instanceof Error ? error.message : "no answer"}). Nothing was checked, so nothing is known to be safe.`,
    evidence: [],
    advice: ["Reload the page. If this keeps happening, reload the extension from the browser's extensions page."],
  };
}
