import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../components/Annotation";
import type { PrAnnotationView, PrCandidate } from "../lib/annotations/types";
import { sendToBackground } from "../lib/messaging/client";
import { parseHubUrl } from "../lib/page/hub-url";
import { readHeaderProps } from "../lib/page/islands";
import { discussionHints, findDiscussionRows } from "../lib/page/rows";
import { queryFirst, SELECTORS } from "../lib/page/selectors";
import { watchPage } from "../lib/page/watch";
import type { RepoRef } from "../lib/repo-ref";
import { createAnnotationHost, findingIds, type AnnotationHost } from "./annotation-hosts";

const HOST_TAG = "hub-sentinel-pr";

/**
 * Pull-request annotations: beside each PR in a repo's discussions list, and on a PR page. What a
 * PR is comes from the background (the repo's PR list and the conversion-pr / weights-changed
 * findings); a row the page's props call a discussion, or that the background does not know as a
 * PR, gets nothing.
 */
export function startPrAnnotations(ctx: ContentScriptContext, win: Window = window): void {
  const doc = win.document;
  let session: Session | undefined;

  function begin(url: URL) {
    session?.stop();
    session = undefined;
    const page = parseHubUrl(url);
    if (page?.kind !== "repo" || (page.tab !== "community" && page.tab !== "discussion")) return;
    session = createSession(ctx, doc, { ...page.repo, revision: "main" }, page.tab === "discussion" ? page.discussion : undefined);
    session.scan();
  }

  watchPage(ctx, doc, {
    onDomChange: () => session?.scan(),
    onThemeChange: () => session?.retheme(),
    onLocationChange: (url) => begin(url),
  });
  begin(new URL(win.location.href));
}

interface Session {
  scan(): void;
  retheme(): void;
  stop(): void;
}

function createSession(ctx: ContentScriptContext, doc: Document, repo: RepoRef, pageNum: number | undefined): Session {
  const asked = new Set<number>();
  const answers = new Map<number, PrAnnotationView | null>();
  const hosts = new Map<number, AnnotationHost>();
  const creating = new Set<number>();
  const anchors = new Map<number, Element>();
  let stopped = false;
  const authorKind = readHeaderProps(doc, repo.type)?.authorKind;

  function place(num: number, host: HTMLElement) {
    const anchor = anchors.get(num);
    if (!anchor) {
      host.remove();
      return;
    }
    if (anchor.nextElementSibling !== host) anchor.after(host);
  }

  async function ask(candidates: PrCandidate[]) {
    for (const candidate of candidates) asked.add(candidate.num);
    try {
      const response = await sendToBackground("pr-annotations", { repo, candidates, authorKind });
      if (stopped || ctx.isInvalid) return;
      for (const candidate of candidates) answers.set(candidate.num, null);
      for (const view of response.prs) answers.set(view.num, view);
    } catch {
      for (const candidate of candidates) asked.delete(candidate.num);
      return;
    }
    scan();
  }

  async function mount(view: PrAnnotationView) {
    creating.add(view.num);
    try {
      const host = await createAnnotationHost(ctx, { name: HOST_TAG, doc, place: (element) => place(view.num, element) });
      if (stopped) {
        host.remove();
        return;
      }
      hosts.set(view.num, host);
      paint(host, view);
    } finally {
      creating.delete(view.num);
    }
  }

  function paint(host: AnnotationHost, view: PrAnnotationView) {
    host.paint(
      { "data-hub-sentinel": "pr", "data-num": String(view.num), "data-level": view.level, "data-findings": findingIds(view.findings) },
      <Annotation level={view.level} subject={`PR #${view.num}`} kind="pull request" findings={view.findings} host={host.host}>
        <p class="detail">{view.summary}</p>
      </Annotation>,
    );
  }

  function scan() {
    if (stopped) return;
    anchors.clear();
    const hints = discussionHints(doc);
    if (pageNum !== undefined) {
      const header = queryFirst(doc, SELECTORS.discussionHeader);
      if (header) anchors.set(pageNum, header);
    } else {
      for (const row of findDiscussionRows(doc, repo)) anchors.set(row.num, row.link);
    }
    const fresh = [...anchors.keys()].filter((num) => !asked.has(num));
    if (fresh.length > 0) {
      void ask(fresh.map((num) => (hints.has(num) ? { num, isPullRequest: hints.get(num) } : { num })));
    }
    for (const num of anchors.keys()) {
      const view = answers.get(num);
      if (!view) continue;
      const host = hosts.get(num);
      if (host) host.place();
      else if (!creating.has(num)) void mount(view);
    }
    const mine = new Set([...hosts.values()].map((host) => host.host));
    for (const other of Array.from(doc.querySelectorAll(HOST_TAG))) if (!mine.has(other as HTMLElement)) other.remove();
  }

  return {
    scan,
    retheme() {
      for (const [num, host] of hosts) {
        const view = answers.get(num);
        if (view) paint(host, view);
      }
    },
    stop() {
      stopped = true;
      for (const host of hosts.values()) host.remove();
      hosts.clear();
    },
  };
}
