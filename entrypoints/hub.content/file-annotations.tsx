import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { Annotation } from "../../components/Annotation";
import type { FileMarks } from "../../lib/annotations/file-marks";
import type { FileAnnotationView } from "../../lib/annotations/types";
import { isGgufFormat } from "../../lib/hub/file-kinds";
import { sendToBackground } from "../../lib/messaging/client";
import { hintsFromPage } from "../../lib/messaging/page-hints";
import { readHeaderProps } from "../../lib/page/islands";
import { expectedFileRows } from "../../lib/page/layout-check";
import { findFileRows } from "../../lib/page/rows";
import { queryFirst, SELECTORS } from "../../lib/page/selectors";
import { findingIds, type AnnotationHost } from "./annotation-hosts";
import { announceFactsChanged } from "./facts-changed";
import { startRowAnnotations } from "./row-annotations";

const HOST_TAG = "hub-sentinel-file";

/**
 * File annotations: on a tree page, beside each file row that has something to say (pickle format,
 * a finding, a scanner flag, a recent weight change), including rows that "Load more" adds and
 * sub-folders; on a file view, one for its file. Rows are asked about once per path: rows the page
 * re-renders get their existing annotation back, new rows cost one message (the background answers
 * from the facts it already has for the repo badge). Each answer is also kept in `marks`, where the
 * download guard reads a file's level when its download link is clicked (download-guard.tsx).
 */
export function startFileAnnotations(ctx: ContentScriptContext, win: Window = window, marks?: FileMarks): void {
  startRowAnnotations<string, FileAnnotationView>(ctx, win, (page, doc) => {
    if (page.kind !== "repo" || (page.tab !== "files" && page.tab !== "blob")) return undefined;
    const repo = page.repo;
    const blobPath = page.tab === "blob" ? page.path : undefined;
    const header = readHeaderProps(doc, repo.type);
    const authorKind = header?.authorKind;
    const reading = new Set<string>();
    return {
      hostTag: HOST_TAG,
      visible() {
        // A file view: its one file, next to the page's scan badge (or the viewer's header).
        if (blobPath !== undefined) {
          return new Map([[blobPath, queryFirst(doc, SELECTORS.scanStatusBadge) ?? queryFirst(doc, SELECTORS.viewerHeader) ?? undefined]]);
        }
        return new Map(findFileRows(doc, repo).map((row) => [row.path, row.link]));
      },
      ask: async (paths) => {
        marks?.asking(repo, paths);
        try {
          const answer = await sendToBackground("file-annotations", { repo, paths, authorKind, always: blobPath !== undefined, ...hintsFromPage(header) });
          marks?.answered(repo, paths, answer.files);
          // A GGUF's file page has its header read if the page's budget had left it: the badge asks again.
          if (blobPath !== undefined && isGgufFormat(blobPath)) announceFactsChanged();
          return { views: answer.files, recheckAt: answer.recheckAt };
        } catch (error) {
          marks?.failed(repo, paths, error instanceof Error ? error.message : "the extension's background did not answer.");
          throw error;
        }
      },
      keyOf: (view) => view.path,
      layout: {
        part: blobPath !== undefined ? "file-view" : "file-rows",
        // A file view always has its one file to mark; a tree page, when the page shows files.
        expected: () => (blobPath !== undefined ? undefined : expectedFileRows(doc, repo, page.path ?? "")),
        subject: (path) => path,
      },
      paint,
    };

    /** A GGUF row whose header the page's byte budget left unread: opening its mark reads it, then the row (and the badge) say what it holds. */
    function readTemplate(host: AnnotationHost, view: FileAnnotationView) {
      if (reading.has(view.path)) return;
      reading.add(view.path);
      paint(host, { ...view, templateUnread: undefined, templateNote: "Reading this file's chat template…" });
      sendToBackground("file-annotations", { repo, paths: [view.path], authorKind, readTemplates: true, ...hintsFromPage(header) })
        .then((answer) => {
          const fresh = answer.files.find((candidate) => candidate.path === view.path);
          paint(host, fresh ?? view);
          announceFactsChanged();
        })
        .catch(() => paint(host, view))
        .finally(() => reading.delete(view.path));
    }

    function paint(host: AnnotationHost, view: FileAnnotationView) {
      host.paint(
        { "data-hub-sentinel": "file", "data-path": view.path, "data-level": view.level, "data-findings": findingIds(view.findings) },
        <Annotation level={view.level} subject={view.path} kind="file" findings={view.findings} host={host.host} {...(view.templateUnread ? { onOpen: () => readTemplate(host, view) } : {})}>
          <FileDetails view={view} />
        </Annotation>,
      );
    }
  });
}

function FileDetails({ view }: { view: FileAnnotationView }) {
  const change = view.lastChange;
  return (
    <div class="details">
      {view.gap && <p class="meta">{view.gap}</p>}
      {view.templateNote && <p class="meta">{view.templateNote}</p>}
      {view.archiveNote && <p class="meta">{view.archiveNote}</p>}
      {view.imports.length > 0 && (
        <>
          <p class="detail-title">Pickle imports (what loading it runs)</p>
          <ul class="plain" aria-label="Pickle imports">
            {view.imports.map((item) => (
              <li key={`${item.module}.${item.name}`} class={`safety-${item.safety}`}>
                <code>
                  {item.module}.{item.name}
                </code>{" "}
                ({item.safety}){item.does ? `: ${item.does}` : ""}
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
