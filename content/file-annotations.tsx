import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../components/Annotation";
import type { FileAnnotationView } from "../lib/annotations/types";
import { sendToBackground } from "../lib/messaging/client";
import { parseHubUrl } from "../lib/page/hub-url";
import { readHeaderProps } from "../lib/page/islands";
import { findFileRows } from "../lib/page/rows";
import { queryFirst, SELECTORS } from "../lib/page/selectors";
import { watchPage } from "../lib/page/watch";
import type { RepoRef } from "../lib/repo-ref";
import { createAnnotationHost, findingIds, type AnnotationHost } from "./annotation-hosts";

const HOST_TAG = "hub-sentinel-file";

/**
 * File annotations: on a tree page, beside each file row that has something to say (pickle format,
 * a finding, a scanner flag, a recent weight change), including rows that "Load more" adds and
 * sub-folders; on a file view, one for its file. Rows are asked about once per path: rows the page
 * re-renders get their existing annotation back, new rows cost one message (the background answers
 * from the facts it already has for the repo badge).
 */
export function startFileAnnotations(ctx: ContentScriptContext, win: Window = window): void {
  const doc = win.document;
  let session: Session | undefined;

  function begin(url: URL) {
    session?.stop();
    session = undefined;
    const page = parseHubUrl(url);
    if (page?.kind !== "repo" || (page.tab !== "files" && page.tab !== "blob")) return;
    session = createSession(ctx, doc, page.repo, page.tab === "blob" ? page.path : undefined);
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

function createSession(ctx: ContentScriptContext, doc: Document, repo: RepoRef, blobPath: string | undefined): Session {
  const asked = new Set<string>();
  const answers = new Map<string, FileAnnotationView | null>();
  const hosts = new Map<string, AnnotationHost>();
  const creating = new Set<string>();
  const anchors = new Map<string, Element>();
  let stopped = false;
  const authorKind = readHeaderProps(doc, repo.type)?.authorKind;

  /** The element a path's annotation goes after, right now (rows are re-rendered). */
  function anchorFor(path: string): Element | undefined {
    if (blobPath !== undefined) {
      return queryFirst(doc, SELECTORS.scanStatusBadge) ?? queryFirst(doc, SELECTORS.viewerHeader) ?? undefined;
    }
    return anchors.get(path);
  }

  function place(path: string, host: HTMLElement) {
    const anchor = anchorFor(path);
    if (!anchor) {
      host.remove();
      return;
    }
    if (anchor.nextElementSibling !== host) anchor.after(host);
  }

  async function ask(paths: string[]) {
    for (const path of paths) asked.add(path);
    try {
      const response = await sendToBackground("file-annotations", { repo, paths, authorKind, always: blobPath !== undefined });
      if (stopped || ctx.isInvalid) return;
      for (const path of paths) answers.set(path, null);
      for (const view of response.files) answers.set(view.path, view);
    } catch {
      // Asked again on the next change of the page: a failed message is not an answer.
      for (const path of paths) asked.delete(path);
      return;
    }
    scan();
  }

  async function mount(view: FileAnnotationView) {
    creating.add(view.path);
    try {
      const host = await createAnnotationHost(ctx, { name: HOST_TAG, doc, place: (element) => place(view.path, element) });
      if (stopped) {
        host.remove();
        return;
      }
      hosts.set(view.path, host);
      paint(host, view);
    } finally {
      creating.delete(view.path);
    }
  }

  function paint(host: AnnotationHost, view: FileAnnotationView) {
    host.paint(
      { "data-hub-sentinel": "file", "data-path": view.path, "data-level": view.level, "data-findings": findingIds(view.findings) },
      <Annotation level={view.level} subject={view.path} kind="file" findings={view.findings} host={host.host}>
        <FileDetails view={view} />
      </Annotation>,
    );
  }

  function scan() {
    if (stopped) return;
    const visible: string[] = [];
    if (blobPath !== undefined) visible.push(blobPath);
    else {
      anchors.clear();
      for (const row of findFileRows(doc, repo)) {
        anchors.set(row.path, row.link);
        visible.push(row.path);
      }
    }
    const fresh = visible.filter((path) => !asked.has(path));
    if (fresh.length > 0) void ask(fresh);
    for (const path of visible) {
      const view = answers.get(path);
      if (!view) continue;
      const host = hosts.get(path);
      if (host) host.place();
      else if (!creating.has(path)) void mount(view);
    }
    removeStrays(doc, new Set([...hosts.values()].map((host) => host.host)));
  }

  return {
    scan,
    retheme() {
      for (const [path, host] of hosts) {
        const view = answers.get(path);
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

/** One annotation per file, whatever an older instance of the content script left behind. */
function removeStrays(doc: Document, mine: Set<HTMLElement>) {
  for (const other of Array.from(doc.querySelectorAll(HOST_TAG))) {
    if (!mine.has(other as HTMLElement)) other.remove();
  }
}

function FileDetails({ view }: { view: FileAnnotationView }) {
  const change = view.lastChange;
  return (
    <div class="details">
      {view.gap && <p class="meta">{view.gap}</p>}
      {view.imports.length > 0 && (
        <>
          <p class="detail-title">Pickle imports (what loading it runs)</p>
          <ul class="plain" aria-label="Pickle imports">
            {view.imports.map((item) => (
              <li key={`${item.module}.${item.name}`} class={`safety-${item.safety}`}>
                <code>
                  {item.module}.{item.name}
                </code>{" "}
                ({item.safety})
              </li>
            ))}
          </ul>
        </>
      )}
      {view.scans.length > 0 && (
        <>
          <p class="detail-title">Scanners</p>
          <ul class="plain" aria-label="Scanner verdicts">
            {view.scans.map((scan) => (
              <li key={scan.scanner}>
                {scan.scanner}: {scan.status}
                {scan.message ? ` (“${scan.message}”)` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      {change && (
        <>
          <p class="detail-title">Last changed</p>
          <p class="detail">
            {change.date.slice(0, 10)} by {change.authors && change.authors.length > 0 ? change.authors.join(", ") : "an author the commit list did not name"}: “{change.title}”{" "}
            <a href={change.url} target="_blank" rel="noopener noreferrer">
              commit {change.commitId.slice(0, 7)}
            </a>
          </p>
        </>
      )}
    </div>
  );
}
